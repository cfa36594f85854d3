# freight-router: `freight serve` in a small image. Documentation of a deployment, built with
# any OCI builder: docker build -t freight-router .
#
# Build stage: the release binary (protobuf is compiled by protox in build.rs, no protoc).
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin freight

# Runtime: Debian slim with CA certificates, the binary, the bundled network, a non-root user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /srv/freight freight
WORKDIR /srv/freight
COPY --from=build /src/target/release/freight /usr/local/bin/freight
COPY --from=build /src/network-data ./network-data
USER 10001
# gRPC, gRPC-Web and the console on 50051; Prometheus metrics on 9090 when asked for.
EXPOSE 50051 9090
ENV FREIGHT_ADDR=0.0.0.0:50051 \
    FREIGHT_DATA_DIR=/srv/freight/network-data \
    FREIGHT_LOG_FORMAT=json
ENTRYPOINT ["/usr/local/bin/freight", "serve"]
