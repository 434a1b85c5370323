//! cty values as the provider sees them: null, unknown, primitives and
//! collections. Values are untyped here; the [`Type`] that goes with a value
//! drives its encoding (see `msgpack` and `json`).

use std::collections::BTreeMap;

use super::Type;

/// A cty number. cty numbers are arbitrary-precision decimals; integers and
/// floats cover what a provider config holds, and any other decimal keeps its
/// exact text so it round-trips unchanged.
#[derive(Clone, Debug)]
pub enum Number {
    Int(i64),
    Uint(u64),
    Float(f64),
    /// A decimal too large or too precise for the other variants, as text.
    Decimal(String),
}

impl Number {
    /// The number as an i64 if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            Number::Uint(u) => i64::try_from(*u).ok(),
            Number::Float(f) => {
                // i64::MAX as f64 rounds up to 2^63, which is out of range: compare strictly.
                if f.fract() == 0.0 && *f >= i64::MIN as f64 && *f < i64::MAX as f64 {
                    Some(*f as i64)
                } else {
                    None
                }
            }
            Number::Decimal(s) => s.parse().ok(),
        }
    }

    /// The number as an f64 (possibly rounded).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Number::Int(i) => Some(*i as f64),
            Number::Uint(u) => Some(*u as f64),
            Number::Float(f) => Some(*f),
            Number::Decimal(s) => s.parse().ok(),
        }
    }

    /// Canonical decimal text, used for equality and JSON output.
    pub fn to_decimal_string(&self) -> String {
        match self {
            Number::Int(i) => i.to_string(),
            Number::Uint(u) => u.to_string(),
            Number::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{}", *f as i64)
                } else {
                    format!("{f}")
                }
            }
            Number::Decimal(s) => s.clone(),
        }
    }
}

/// cty compares numbers by their decimal text (a float64 stands for its
/// shortest round-tripping decimal), with -0 equal to 0.
impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::Uint(a), Number::Uint(b)) => a == b,
            (Number::Float(a), Number::Float(b)) => a == b,
            _ => match (self.form(), other.form()) {
                (Some(a), Some(b)) => a == b,
                _ => self.to_decimal_string() == other.to_decimal_string(),
            },
        }
    }
}

impl Number {
    /// Parses decimal number text as cty accepts it in a string: an optional
    /// sign, digits with an optional fraction and exponent, or `inf`.
    /// Integers that fit become `Int`/`Uint`, decimals a float64 holds
    /// exactly become `Float`, anything else `Decimal` (exact text kept).
    pub fn from_decimal_text(text: &str) -> Option<Number> {
        match NumberForm::parse(text)? {
            NumberForm::Infinite { negative: true } => Some(Number::Float(f64::NEG_INFINITY)),
            NumberForm::Infinite { negative: false } => Some(Number::Float(f64::INFINITY)),
            NumberForm::Finite(parts) => {
                if let Some(n) = parts.to_integer() {
                    return Some(n);
                }
                if let Some(f) = parts.exact_f64() {
                    return Some(Number::Float(f));
                }
                let text = if is_json_number(text) {
                    text.to_owned()
                } else {
                    parts.render()
                };
                Some(Number::Decimal(text))
            }
        }
    }

    /// The normal form of this number, or `None` for NaN and malformed decimal text.
    pub(crate) fn form(&self) -> Option<NumberForm> {
        match self {
            Number::Int(i) => NumberForm::parse(&i.to_string()),
            Number::Uint(u) => NumberForm::parse(&u.to_string()),
            Number::Float(f) if f.is_nan() => None,
            Number::Float(f) if f.is_infinite() => {
                Some(NumberForm::Infinite { negative: *f < 0.0 })
            }
            // `{:e}` prints the shortest digits that round-trip.
            Number::Float(f) => NumberForm::parse(&format!("{f:e}")),
            Number::Decimal(s) => NumberForm::parse(s),
        }
    }
}

/// A number in normal form, for comparison and re-encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NumberForm {
    Finite(DecimalParts),
    Infinite { negative: bool },
}

/// A finite decimal: `digits × 10^exponent`. `digits` has no leading or
/// trailing zeros and is empty for zero (which is never negative).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DecimalParts {
    pub negative: bool,
    pub digits: String,
    pub exponent: i64,
}

/// Decimal exponents beyond this are refused: nothing real needs them and
/// they would make exact arithmetic and plain rendering unbounded.
const MAX_DECIMAL_EXPONENT: i64 = 1_000_000_000;

impl NumberForm {
    pub(crate) fn parse(text: &str) -> Option<NumberForm> {
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            Some((b'+', rest)) => (false, rest),
            _ => (false, bytes),
        };
        if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
            return Some(NumberForm::Infinite { negative });
        }
        let mut i = 0;
        let mut digits: Vec<u8> = Vec::new();
        while let Some(b) = rest.get(i).filter(|b| b.is_ascii_digit()) {
            digits.push(*b);
            i += 1;
        }
        let mut fraction_len: i64 = 0;
        if rest.get(i) == Some(&b'.') {
            i += 1;
            while let Some(b) = rest.get(i).filter(|b| b.is_ascii_digit()) {
                digits.push(*b);
                fraction_len += 1;
                i += 1;
            }
        }
        if digits.is_empty() {
            return None;
        }
        let mut exponent: i64 = 0;
        if matches!(rest.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exponent_negative = match rest.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let start = i;
            while let Some(b) = rest.get(i).filter(|b| b.is_ascii_digit()) {
                exponent = (exponent * 10 + i64::from(b - b'0')).min(MAX_DECIMAL_EXPONENT + 1);
                i += 1;
            }
            if i == start {
                return None;
            }
            if exponent_negative {
                exponent = -exponent;
            }
        }
        if i != rest.len() || exponent.abs() > MAX_DECIMAL_EXPONENT {
            return None;
        }
        let leading = digits.iter().take_while(|b| **b == b'0').count();
        let significant = digits.get(leading..).unwrap_or_default();
        let trailing = significant.iter().rev().take_while(|b| **b == b'0').count();
        let significant = significant
            .get(..significant.len() - trailing)
            .unwrap_or_default();
        if significant.is_empty() {
            return Some(NumberForm::Finite(DecimalParts {
                negative: false,
                digits: String::new(),
                exponent: 0,
            }));
        }
        let trailing = i64::try_from(trailing).ok()?;
        Some(NumberForm::Finite(DecimalParts {
            negative,
            digits: String::from_utf8(significant.to_vec()).ok()?,
            exponent: exponent - fraction_len + trailing,
        }))
    }
}

impl DecimalParts {
    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// `Int` or `Uint` if this is an integer that fits one of them.
    pub(crate) fn to_integer(&self) -> Option<Number> {
        if self.is_zero() {
            return Some(Number::Int(0));
        }
        let zeros = usize::try_from(self.exponent).ok()?;
        if self.digits.len() + zeros > 20 {
            return None;
        }
        let mut magnitude: u128 = self.digits.parse().ok()?;
        for _ in 0..zeros {
            magnitude = magnitude.checked_mul(10)?;
        }
        if self.negative {
            let value = i128::try_from(magnitude).ok()?.checked_neg()?;
            i64::try_from(value).ok().map(Number::Int)
        } else if let Ok(i) = i64::try_from(magnitude) {
            Some(Number::Int(i))
        } else {
            u64::try_from(magnitude).ok().map(Number::Uint)
        }
    }

    /// The float64 that stands for exactly this decimal, if there is one:
    /// its exact binary value and its shortest text (which cty compares) are
    /// both this decimal. cty sends such numbers as float64, others as text.
    pub(crate) fn exact_f64(&self) -> Option<f64> {
        if self.is_zero() {
            return Some(0.0);
        }
        // A float64's exact decimal has at most 767 significant digits and
        // lies within 10^-1075 .. 10^309.
        let len = i64::try_from(self.digits.len()).ok()?;
        if len > 767 || self.exponent < -1100 || self.exponent + len > 310 {
            return None;
        }
        let sign = if self.negative { "-" } else { "" };
        let f: f64 = format!("{sign}{}e{}", self.digits, self.exponent)
            .parse()
            .ok()?;
        if !f.is_finite() || f == 0.0 {
            return None;
        }
        let shortest = NumberForm::parse(&format!("{f:e}"));
        if shortest.as_ref() != Some(&NumberForm::Finite(self.clone())) {
            return None;
        }
        (exact_decimal_of_f64(f) == *self).then_some(f)
    }

    /// Decimal text for these parts: plain when short, else with an exponent.
    /// Always valid as a JSON number.
    pub(crate) fn render(&self) -> String {
        if self.is_zero() {
            return "0".to_owned();
        }
        let sign = if self.negative { "-" } else { "" };
        let len = i64::try_from(self.digits.len()).unwrap_or(i64::MAX);
        let digits = &self.digits;
        match self.exponent {
            0 => format!("{sign}{digits}"),
            e if (1..=20).contains(&e) => {
                format!("{sign}{digits}{}", "0".repeat(e.unsigned_abs() as usize))
            }
            e if e < 0 && -e < len => {
                let split = (len + e) as usize;
                format!("{sign}{}.{}", &digits[..split], &digits[split..])
            }
            e if e < 0 && -e - len <= 20 => {
                format!("{sign}0.{}{digits}", "0".repeat((-e - len) as usize))
            }
            e => format!("{sign}{digits}e{e}"),
        }
    }
}

/// The exact decimal value of a finite float64 (up to 767 digits).
fn exact_decimal_of_f64(f: f64) -> DecimalParts {
    let bits = f.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, power_of_two) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    if mantissa == 0 {
        return DecimalParts {
            negative: false,
            digits: String::new(),
            exponent: 0,
        };
    }
    // Little-endian base-10^9 limbs.
    const BASE: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![
        mantissa % BASE,
        (mantissa / BASE) % BASE,
        mantissa / (BASE * BASE),
    ];
    let mul = |limbs: &mut Vec<u64>, factor: u64| {
        let mut carry = 0u64;
        for limb in limbs.iter_mut() {
            let product = *limb * factor + carry;
            *limb = product % BASE;
            carry = product / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    };
    // m × 2^k for k ≥ 0; m × 2^-k = m × 5^k × 10^-k otherwise. Steps keep
    // each factor below 2^31 so a limb product stays within u64.
    let (factor, max_step, mut remaining, exponent) = if power_of_two >= 0 {
        (2u64, 29, power_of_two, 0)
    } else {
        (5u64, 13, -power_of_two, power_of_two)
    };
    while remaining > 0 {
        let step = remaining.min(max_step);
        mul(&mut limbs, factor.pow(step as u32));
        remaining -= step;
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut text = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        if i == 0 {
            text.push_str(&limb.to_string());
        } else {
            text.push_str(&format!("{limb:09}"));
        }
    }
    let trimmed = text.trim_end_matches('0');
    let trailing = (text.len() - trimmed.len()) as i64;
    DecimalParts {
        negative,
        digits: trimmed.to_owned(),
        exponent: exponent + trailing,
    }
}

/// True for text in JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
pub(crate) fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// A cty value. `Set` holds its elements in no particular order and compares
/// as a set; `Dynamic` is a known value of DynamicPseudoType with its real type.
#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Null,
    Unknown,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    Dynamic {
        ty: Type,
        value: Box<Value>,
    },
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) | (Unknown, Unknown) => true,
            (Bool(a), Bool(b)) => a == b,
            (Number(a), Number(b)) => a == b,
            (String(a), String(b)) => a == b,
            (List(a), List(b)) | (Tuple(a), Tuple(b)) => a == b,
            (Set(a), Set(b)) => {
                a.len() == b.len()
                    && a.iter().all(|x| b.contains(x))
                    && b.iter().all(|y| a.contains(y))
            }
            (Map(a), Map(b)) | (Object(a), Object(b)) => a == b,
            (Dynamic { ty: ta, value: va }, Dynamic { ty: tb, value: vb }) => ta == tb && va == vb,
            _ => false,
        }
    }
}

static NULL: Value = Value::Null;

impl Value {
    /// An object value from attribute name/value pairs.
    pub fn object<I, K>(attributes: I) -> Value
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        Value::Object(attributes.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A string value, or null for `None`.
    pub fn opt_string(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, |s| Value::String(s.into()))
    }

    /// The attribute `name` of an object (null if absent or not an object).
    pub fn attr(&self, name: &str) -> &Value {
        match self {
            Value::Object(attrs) => attrs.get(name).unwrap_or(&NULL),
            Value::Dynamic { value, .. } => value.attr(name),
            _ => &NULL,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// True when no unknown appears anywhere in the value.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                v.iter().all(Value::is_wholly_known)
            }
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            Value::Dynamic { value, .. } => value.is_wholly_known(),
            _ => true,
        }
    }

    /// The cty type this value evidently has, used to encode a plain value
    /// under DynamicPseudoType. Null and unknown give `Type::Dynamic`;
    /// collection elements must agree (nulls and unknowns aside), else `None`.
    pub fn infer_type(&self) -> Option<Type> {
        fn common<'a>(values: impl Iterator<Item = &'a Value>) -> Option<Type> {
            let mut found: Option<Type> = None;
            for value in values.filter(|v| !v.is_null() && !v.is_unknown()) {
                let ty = value.infer_type()?;
                match &found {
                    Some(seen) if *seen != ty => return None,
                    Some(_) => {}
                    None => found = Some(ty),
                }
            }
            Some(found.unwrap_or(Type::Dynamic))
        }
        match self {
            Value::Null | Value::Unknown => Some(Type::Dynamic),
            Value::Bool(_) => Some(Type::Bool),
            Value::Number(_) => Some(Type::Number),
            Value::String(_) => Some(Type::String),
            Value::List(v) => Some(Type::list(common(v.iter())?)),
            Value::Set(v) => Some(Type::set(common(v.iter())?)),
            Value::Map(m) => Some(Type::map(common(m.values())?)),
            Value::Object(m) => {
                let attrs = m.iter().map(|(k, v)| Some((k.clone(), v.infer_type()?)));
                Some(Type::Object(attrs.collect::<Option<_>>()?))
            }
            Value::Tuple(v) => Some(Type::Tuple(
                v.iter().map(Value::infer_type).collect::<Option<_>>()?,
            )),
            Value::Dynamic { ty, .. } => Some(ty.clone()),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// Elements of a list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }

    /// Entries of a map or attributes of an object.
    pub fn as_entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Known string elements of a list or set (unknown or null elements skipped).
    pub fn string_elements(&self) -> Vec<&str> {
        self.as_elements()
            .map(|els| els.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// Known string entries of a map.
    pub fn string_entries(&self) -> BTreeMap<&str, &str> {
        self.as_entries()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.as_str(), s)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Number(Number::Int(i))
    }
}
