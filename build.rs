//! Compiles proto/ on every build so the generated gRPC code never drifts
//! from the contract; protoc comes from a crate, so no manual step is needed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    std::env::set_var("PROTOC", protoc);
    println!("cargo:rerun-if-changed=proto");
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_protos(&["proto/tfplugin5.proto", "proto/plugin.proto"], &["proto"])?;
    Ok(())
}
