//! `freight`: the server (`freight serve`) and a gRPC command-line client (`route`,
//! `locations`). Argument parsing only; the work is in the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use freight_router::client::{self, RouteOptions};
use freight_router::proto::{
    self, network_service_client::NetworkServiceClient,
    routing_service_client::RoutingServiceClient,
};
use freight_router::server;

#[derive(Parser)]
#[command(
    name = "freight",
    version,
    about = "Multimodal freight routing from Dalian, over gRPC"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the freight.v1 gRPC API on the bundled (or given) network.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "FREIGHT_ADDR", default_value = "127.0.0.1:50051")]
        addr: SocketAddr,
        /// Directory holding terminals.csv, services.toml, model.toml and the layers.
        #[arg(long, env = "FREIGHT_DATA_DIR", default_value = "network-data")]
        data_dir: PathBuf,
        /// Log format.
        #[arg(long, env = "FREIGHT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
        log_format: LogFormat,
    },
    /// Find routes between two places (UN/LOCODE, IATA code or terminal id).
    Route(Box<RouteArgs>),
    /// List the network's locations and terminals.
    Locations {
        /// Only this country (ISO 3166-1 alpha-2).
        #[arg(long, default_value = "")]
        country: String,
        #[command(flatten)]
        conn: Connection,
    },
}

#[derive(clap::Args)]
struct Connection {
    /// Server to ask.
    #[arg(long, env = "FREIGHT_SERVER", default_value = "http://127.0.0.1:50051")]
    server: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ObjectiveArg {
    Cost,
    Time,
    Co2,
    Generalized,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Sea,
    Air,
    Rail,
    Road,
}

#[derive(clap::Args)]
struct RouteArgs {
    origin: String,
    destination: String,
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Cost)]
    objective: ObjectiveArg,
    /// 20-foot containers (the default shipment is one).
    #[arg(long)]
    teu: Option<i32>,
    /// 40-foot containers.
    #[arg(long, default_value_t = 0)]
    feu: i32,
    /// Refrigerated containers.
    #[arg(long)]
    reefer: bool,
    /// Loose cargo weight (with --volume-m3 instead of containers).
    #[arg(long)]
    weight_kg: Option<f64>,
    #[arg(long)]
    volume_m3: Option<f64>,
    #[arg(long)]
    dangerous_goods: bool,
    /// Allowed modes, comma-separated (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    modes: Vec<ModeArg>,
    /// Locations or terminals to avoid (repeatable).
    #[arg(long)]
    avoid: Vec<String>,
    /// Countries to avoid (repeatable).
    #[arg(long)]
    avoid_country: Vec<String>,
    #[arg(long)]
    max_transfers: Option<i32>,
    /// Allow exploratory lines (Northern Sea Route, DPRK links, pilots).
    #[arg(long)]
    exploratory: bool,
    #[arg(long)]
    max_routes: Option<i32>,
    /// When the cargo is ready at the origin, RFC 3339 with offset
    /// (2027-03-02T08:00+08:00); default now.
    #[arg(long, value_parser = client::parse_instant)]
    ready: Option<i64>,
    /// Latest arrival at the destination, RFC 3339 with offset.
    #[arg(long, value_parser = client::parse_instant)]
    deliver_by: Option<i64>,
    /// Sea passages to avoid (suez, babalmandab, korea_strait, ...), comma-separated.
    #[arg(long, value_delimiter = ',')]
    avoid_passage: Vec<String>,
    #[arg(long)]
    max_cost_usd: Option<f64>,
    /// List which constraint removed which candidate service.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    conn: Connection,
}

impl RouteArgs {
    fn options(&self) -> RouteOptions {
        let loose = self.weight_kg.is_some() || self.volume_m3.is_some();
        RouteOptions {
            origin: self.origin.clone(),
            destination: self.destination.clone(),
            objective: match self.objective {
                ObjectiveArg::Cost => proto::Objective::Cost,
                ObjectiveArg::Time => proto::Objective::Time,
                ObjectiveArg::Co2 => proto::Objective::Co2,
                ObjectiveArg::Generalized => proto::Objective::GeneralizedCost,
            },
            count_20ft: self
                .teu
                .unwrap_or(if loose || self.feu > 0 { 0 } else { 1 }),
            count_40ft: self.feu,
            reefer: self.reefer,
            weight_kg: self.weight_kg,
            volume_m3: self.volume_m3,
            dangerous_goods: self.dangerous_goods,
            modes: self
                .modes
                .iter()
                .map(|m| match m {
                    ModeArg::Sea => proto::TransportMode::Sea,
                    ModeArg::Air => proto::TransportMode::Air,
                    ModeArg::Rail => proto::TransportMode::Rail,
                    ModeArg::Road => proto::TransportMode::Road,
                })
                .collect(),
            avoid_locations: self.avoid.clone(),
            avoid_countries: self.avoid_country.clone(),
            max_transfers: self.max_transfers,
            include_exploratory: self.exploratory,
            max_routes: self.max_routes,
            ready_at: self.ready,
            deliver_by: self.deliver_by,
            avoid_passages: self.avoid_passage.clone(),
            max_cost_usd: self.max_cost_usd,
            explain: self.explain,
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve {
            addr,
            data_dir,
            log_format,
        } => {
            init_tracing(log_format);
            let state = server::load_state(&data_dir).map_err(|e| e.to_string())?;
            let listener = server::bind(addr).await.map_err(|e| e.to_string())?;
            server::serve(state, listener, server::shutdown_signal())
                .await
                .map_err(|e| e.to_string())
        }
        Command::Route(args) => {
            let mut client = RoutingServiceClient::connect(args.conn.server.clone())
                .await
                .map_err(|e| format!("cannot reach {}: {e}", args.conn.server))?;
            let response = client
                .find_routes(args.options().request())
                .await
                .map_err(|s| format!("{:?}: {}", s.code(), s.message()))?
                .into_inner();
            if args.conn.json {
                println!("{:#}", client::routes_json(&response));
            } else {
                print!("{}", client::routes_table(&response));
            }
            Ok(())
        }
        Command::Locations { country, conn } => {
            let mut client = NetworkServiceClient::connect(conn.server.clone())
                .await
                .map_err(|e| format!("cannot reach {}: {e}", conn.server))?;
            let mut locations = Vec::new();
            let mut page_token = String::new();
            loop {
                let page = client
                    .list_locations(proto::ListLocationsRequest {
                        country_code: country.clone(),
                        page_size: 500,
                        page_token,
                    })
                    .await
                    .map_err(|s| format!("{:?}: {}", s.code(), s.message()))?
                    .into_inner();
                locations.extend(page.locations);
                if page.next_page_token.is_empty() {
                    break;
                }
                page_token = page.next_page_token;
            }
            if conn.json {
                println!("{:#}", client::locations_json(&locations));
            } else {
                print!("{}", client::locations_table(&locations));
            }
            Ok(())
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("freight: {e}");
            ExitCode::FAILURE
        }
    }
}
