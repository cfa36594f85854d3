//! Compiles the freight.v1 protobuf contract with protox (a pure-Rust protobuf compiler, so no
//! system `protoc` is needed) and generates the tonic client and server code from it. The
//! encoded descriptor set is also written to OUT_DIR for gRPC server reflection.

use std::{env, fs, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = [
        "proto/freight/v1/network.proto",
        "proto/freight/v1/routing.proto",
        "proto/freight/v1/scenario.proto",
    ];
    for proto in &protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    // Imports (google/protobuf/duration.proto) are included so that reflection clients can
    // resolve every type; source info carries the .proto comments into the generated docs.
    let descriptors = protox::Compiler::new(["proto"])?
        .include_imports(true)
        .include_source_info(true)
        .open_files(protos)?
        .file_descriptor_set();
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    fs::write(
        out_dir.join("freight_descriptor.bin"),
        prost::Message::encode_to_vec(&descriptors),
    )?;
    tonic_prost_build::configure().compile_fds(descriptors)?;
    Ok(())
}
