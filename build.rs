//! Compiles the freight.v1 protobuf contract with protox (a pure-Rust protobuf compiler, so no
//! system `protoc` is needed) and generates the tonic client and server code from it. The
//! encoded descriptor set is also written to OUT_DIR for gRPC server reflection. The built
//! console (`console/dist/`, committed) is embedded as a table of files.

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
    embed_console(&out_dir)?;
    Ok(())
}

/// Writes `console_assets.rs`: `CONSOLE_ASSETS`, every file under `console/dist/` as
/// (URL path, bytes), sorted by path. Without a built console the table is empty.
fn embed_console(out_dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let dist = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?).join("console/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    let mut pending = vec![dist.clone()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let url = path
                    .strip_prefix(&dist)?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((format!("/{url}"), path));
            }
        }
    }
    files.sort();
    let mut code = String::from("pub static CONSOLE_ASSETS: &[(&str, &[u8])] = &[\n");
    for (url, path) in &files {
        code.push_str(&format!(
            "    ({url:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    fs::write(out_dir.join("console_assets.rs"), code)?;
    Ok(())
}
