//! `freight`: the server (`freight serve`) and a gRPC command-line client (`route`,
//! `locations`, `scenario ...`). Argument parsing only; the work is in the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use freight_router::api::{Role, Tokens};
use freight_router::client::{self, RouteOptions};
use freight_router::proto::{
    self, network_service_client::NetworkServiceClient,
    routing_service_client::RoutingServiceClient,
};
use freight_router::{loadtest, server};

/// mimalloc rather than the system allocator: under load the server's threads contended for
/// glibc's arena locks (about a seventh of its CPU in futex calls in perf); see
/// benches/README.md for the throughput with each.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        /// SQLite file of the scenarios (created on first start), or a `postgres://` URL of
        /// a database that replicas share.
        #[arg(
            long,
            env = "FREIGHT_SCENARIO_DB",
            default_value = "freight-scenarios.db",
            hide_env_values = true
        )]
        scenario_db: PathBuf,
        /// With a PostgreSQL store: seconds between full re-reads of the store (the safety
        /// net for a missed change notification).
        #[arg(long, env = "FREIGHT_STORE_RESYNC_SECS", default_value_t = 5.0)]
        store_resync_secs: f64,
        /// File of scenario tokens, one `planner <token>` or `read-only <token>` per line.
        #[arg(long, env = "FREIGHT_TOKENS_FILE")]
        tokens_file: Option<PathBuf>,
        /// Planner tokens, comma-separated (in addition to the file).
        #[arg(
            long,
            env = "FREIGHT_PLANNER_TOKENS",
            hide_env_values = true,
            value_delimiter = ','
        )]
        planner_tokens: Vec<String>,
        /// Read-only tokens, comma-separated.
        #[arg(
            long,
            env = "FREIGHT_READ_ONLY_TOKENS",
            hide_env_values = true,
            value_delimiter = ','
        )]
        read_only_tokens: Vec<String>,
        /// Serve TLS with this PEM certificate chain (with --tls-key).
        #[arg(long, env = "FREIGHT_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key of --tls-cert.
        #[arg(long, env = "FREIGHT_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Open connections at once; more are closed as they arrive.
        #[arg(long, env = "FREIGHT_MAX_CONNECTIONS", default_value_t = 4096)]
        max_connections: usize,
        /// Concurrent calls (HTTP/2 streams) per connection.
        #[arg(
            long,
            env = "FREIGHT_MAX_STREAMS_PER_CONNECTION",
            default_value_t = 256
        )]
        max_streams_per_connection: u32,
        /// Seconds a new connection may stay silent (no HTTP/2 preface) before it is closed.
        #[arg(long, env = "FREIGHT_HEADER_TIMEOUT_SECS", default_value_t = 10)]
        header_timeout_secs: u64,
        /// Seconds without a byte either way after which a connection is closed.
        #[arg(long, env = "FREIGHT_IDLE_TIMEOUT_SECS", default_value_t = 120)]
        idle_timeout_secs: u64,
        /// After SIGTERM: seconds health says NOT_SERVING while calls are still served.
        #[arg(long, env = "FREIGHT_DRAIN_DELAY_SECS", default_value_t = 2.0)]
        drain_delay_secs: f64,
        /// After SIGTERM: seconds until the remaining connections and streams are cut.
        #[arg(long, env = "FREIGHT_GRACE_SECS", default_value_t = 10.0)]
        grace_secs: f64,
        /// Serve Prometheus metrics at http://ADDR/metrics.
        #[arg(long, env = "FREIGHT_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
    },
    /// Drive FindRoutes and grpc.health.v1.Health/Check (or CompareScenario, a flood of it)
    /// with concurrent calls for a fixed time and print throughput and latency percentiles.
    Loadtest {
        /// Concurrent in-flight calls (HTTP/2 streams on one connection).
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
        /// Seconds per method.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, value_enum, default_value_t = LoadMethod::Both)]
        method: LoadMethod,
        #[arg(long, default_value = "CNDLC")]
        origin: String,
        #[arg(long, default_value = "KRPUS")]
        destination: String,
        /// Ask FindRoutes for the basic view (legs without their path polylines).
        #[arg(long)]
        basic: bool,
        /// The scenario `--method compare` compares over the bundled demand matrix.
        #[arg(long, default_value = "scn-1")]
        scenario: String,
        /// Write the request of `--method health` or `find-routes` as a gRPC message frame
        /// (the body `h2load --data` sends; see benches/h2load.sh) to this file and exit.
        #[arg(long)]
        write_frame: Option<PathBuf>,
        #[command(flatten)]
        conn: Connection,
    },
    /// Port-office scenarios: create, list, show (export), update, delete, compare.
    #[command(subcommand)]
    Scenario(ScenarioCommand),
    /// Find routes between two places (UN/LOCODE, IATA code or terminal id).
    Route(Box<RouteArgs>),
    /// Every origin to every destination for each ready day (ComputeRouteMatrix): the best
    /// route's cost and door-to-door days, as a table, or the stream as JSON lines.
    Matrix(Box<MatrixArgs>),
    /// Where cargo ready at a place can be by a deadline or within a budget (FindReachable):
    /// every terminal in reach with its earliest arrival and least cost.
    Reachable {
        origin: String,
        /// When the cargo is ready, RFC 3339 with offset; default now.
        #[arg(long, value_parser = client::parse_instant)]
        ready: Option<i64>,
        /// The deadline, RFC 3339 with offset.
        #[arg(long, value_parser = client::parse_instant)]
        by: Option<i64>,
        /// The budget, USD.
        #[arg(long)]
        max_cost_usd: Option<f64>,
        /// 20-foot containers (the default shipment is one).
        #[arg(long)]
        teu: Option<i32>,
        /// 40-foot containers.
        #[arg(long, default_value_t = 0)]
        feu: i32,
        #[command(flatten)]
        conn: Connection,
    },
    /// List the network's locations and terminals.
    Locations {
        /// Only this country (ISO 3166-1 alpha-2).
        #[arg(long, default_value = "")]
        country: String,
        #[command(flatten)]
        conn: Connection,
    },
    /// Turn carriers' schedules in the DCSA Commercial Schedules format (point-to-point
    /// routings, JSON) into services.toml records, printed to stdout.
    ImportSchedules {
        /// DCSA point-to-point files (`GET /point-to-point-routes` responses).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The network whose terminals the UN/LOCODEs map to.
        #[arg(long, env = "FREIGHT_DATA_DIR", default_value = "network-data")]
        data_dir: PathBuf,
        /// The rate table of tariffs.toml the services sell at (schedules carry no prices).
        #[arg(long)]
        tariff: String,
        /// Slots per departure.
        #[arg(long, default_value_t = 1000.0)]
        capacity_teu: f64,
        /// The SOURCES.md key the records cite.
        #[arg(long)]
        source: String,
    },
}

#[derive(clap::Args)]
struct Connection {
    /// Server to ask (`https://...` with --ca-cert for TLS).
    #[arg(long, env = "FREIGHT_SERVER", default_value = "http://127.0.0.1:50051")]
    server: String,
    /// CA certificate (PEM) that signed the server's TLS certificate.
    #[arg(long, env = "FREIGHT_CA_CERT")]
    ca_cert: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

impl Connection {
    async fn channel(&self) -> Result<tonic::transport::Channel, String> {
        client::connect(&self.server, self.ca_cert.as_deref()).await
    }
}

#[derive(clap::Args)]
struct Credentials {
    /// Planner token for changes.
    #[arg(long, env = "FREIGHT_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

#[derive(Subcommand)]
enum ScenarioCommand {
    /// Create a scenario from a scenario file (TOML; see network-data/README.md).
    Create {
        file: PathBuf,
        #[command(flatten)]
        auth: Credentials,
        #[command(flatten)]
        conn: Connection,
    },
    /// Replace a scenario's definition with a scenario file.
    Update {
        id: String,
        file: PathBuf,
        /// Fail unless the stored version is this one.
        #[arg(long)]
        expected_version: Option<i64>,
        #[command(flatten)]
        auth: Credentials,
        #[command(flatten)]
        conn: Connection,
    },
    /// List the scenarios.
    List {
        #[command(flatten)]
        conn: Connection,
    },
    /// Print a scenario as a scenario file (the export format).
    Show {
        id: String,
        #[command(flatten)]
        conn: Connection,
    },
    Delete {
        id: String,
        #[command(flatten)]
        auth: Credentials,
        #[command(flatten)]
        conn: Connection,
    },
    /// Compare a scenario with the base network over the bundled demand matrix or given pairs.
    Compare {
        id: String,
        /// ORIGIN:DESTINATION pairs (repeatable); default the bundled demand matrix.
        #[arg(long)]
        od: Vec<String>,
        /// First ready time, RFC 3339 with offset; default now.
        #[arg(long, value_parser = client::parse_instant)]
        from: Option<i64>,
        /// Days in the ready window (one shipment a day).
        #[arg(long, default_value_t = 7)]
        days: i64,
        /// What "best" means; default the generalized cost (money, time and carbon).
        #[arg(long, value_enum)]
        objective: Option<ObjectiveArg>,
        #[arg(long)]
        exploratory: bool,
        /// Split the pairs by origin and kind of box over these servers (replicas sharing a
        /// store), comma separated, and merge their answers; without `--od`, the pairs of
        /// `--demand-file`.
        #[arg(long, value_delimiter = ',')]
        servers: Vec<String>,
        /// The demand matrix a split comparison deals out (the servers' bundled one).
        #[arg(long, default_value = "network-data/demand.csv")]
        demand_file: PathBuf,
        #[command(flatten)]
        conn: Connection,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LoadMethod {
    FindRoutes,
    Health,
    Both,
    /// CompareScenario calls back to back: a refused one (over the concurrent-comparison cap)
    /// is retried at once, as a flood would.
    Compare,
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
struct MatrixArgs {
    /// Origins, comma-separated (UN/LOCODE, IATA code or terminal id).
    #[arg(long, value_delimiter = ',', required = true)]
    from: Vec<String>,
    /// Destinations, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    to: Vec<String>,
    /// Ready days: --ready and each following day at the same time.
    #[arg(long, default_value_t = 1)]
    days: u32,
    /// When the cargo is first ready, RFC 3339 with offset; default now.
    #[arg(long, value_parser = client::parse_instant)]
    ready: Option<i64>,
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Cost)]
    objective: ObjectiveArg,
    /// 20-foot containers (the default shipment is one).
    #[arg(long)]
    teu: Option<i32>,
    /// 40-foot containers.
    #[arg(long, default_value_t = 0)]
    feu: i32,
    #[arg(long)]
    reefer: bool,
    /// Allow exploratory lines.
    #[arg(long)]
    exploratory: bool,
    /// Each element's whole Pareto set, not only the best route (with --json).
    #[arg(long)]
    pareto: bool,
    /// Route on this scenario instead of the base network.
    #[arg(long, default_value = "")]
    scenario: String,
    #[command(flatten)]
    conn: Connection,
}

impl MatrixArgs {
    fn request(&self) -> proto::ComputeRouteMatrixRequest {
        let route = RouteOptions {
            objective: self.objective.into(),
            count_20ft: self.teu.unwrap_or(if self.feu > 0 { 0 } else { 1 }),
            count_40ft: self.feu,
            reefer: self.reefer,
            include_exploratory: self.exploratory,
            ..RouteOptions::default()
        }
        .request();
        const DAY: i64 = 86_400;
        let first = self.ready.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
        proto::ComputeRouteMatrixRequest {
            origins: self.from.clone(),
            destinations: self.to.clone(),
            ready_times: (0..i64::from(self.days.max(1)))
                .map(|d| prost_types::Timestamp {
                    seconds: first + d * DAY,
                    nanos: 0,
                })
                .collect(),
            shipment: route.shipment,
            objective: route.objective,
            constraints: route.constraints,
            scenario_id: self.scenario.clone(),
            include_pareto_set: self.pareto,
            ..Default::default()
        }
    }
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
    /// 40-foot high-cube containers.
    #[arg(long, default_value_t = 0)]
    hc: i32,
    /// Refrigerated containers.
    #[arg(long)]
    reefer: bool,
    /// Loose cargo that must be kept cold (perishables).
    #[arg(long)]
    temperature_controlled: bool,
    /// The shipment must leave on one departure of each service.
    #[arg(long)]
    keep_together: bool,
    /// Loose cargo weight (with --volume-m3 instead of containers).
    #[arg(long)]
    weight_kg: Option<f64>,
    #[arg(long)]
    volume_m3: Option<f64>,
    #[arg(long)]
    dangerous_goods: bool,
    /// UN hazard class of the dangerous goods (1-9; implies --dangerous-goods).
    #[arg(long, default_value_t = 0)]
    dg_class: i32,
    /// The dangerous goods are labelled Cargo Aircraft Only.
    #[arg(long)]
    cargo_aircraft_only: bool,
    /// Sail through passages carriers currently avoid (the Red Sea).
    #[arg(long)]
    ignore_advisories: bool,
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
    /// Route on this scenario instead of the base network.
    #[arg(long, default_value = "")]
    scenario: String,
    /// Minimise and label by tank-to-wake CO2e (default: well-to-wake).
    #[arg(long)]
    ttw: bool,
    /// Also print each leg's emissions method: activity, factor, source, WTW, TTW, terminal
    /// moves, kilometres in emission control areas and in EU ETS scope.
    #[arg(long)]
    emissions: bool,
    /// Print route N of the answer (1 = the first) as a GeoJSON FeatureCollection, a
    /// LineString per leg (RFC 7946).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "1")]
    geojson: Option<usize>,
    #[command(flatten)]
    conn: Connection,
}

impl RouteArgs {
    fn options(&self) -> RouteOptions {
        let loose = self.weight_kg.is_some() || self.volume_m3.is_some();
        RouteOptions {
            origin: self.origin.clone(),
            destination: self.destination.clone(),
            objective: self.objective.into(),
            count_20ft: self.teu.unwrap_or(if loose || self.feu > 0 || self.hc > 0 {
                0
            } else {
                1
            }),
            count_40ft: self.feu,
            count_40ft_hc: self.hc,
            reefer: self.reefer,
            temperature_controlled: self.temperature_controlled,
            keep_together: self.keep_together,
            dangerous_goods_class: self.dg_class,
            cargo_aircraft_only: self.cargo_aircraft_only,
            ignore_passage_advisories: self.ignore_advisories,
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
            scenario_id: self.scenario.clone(),
            tank_to_wake: self.ttw,
            // Only the GeoJSON output draws the legs' paths.
            basic_view: self.geojson.is_none(),
        }
    }
}

impl From<ObjectiveArg> for proto::Objective {
    fn from(o: ObjectiveArg) -> Self {
        match o {
            ObjectiveArg::Cost => proto::Objective::Cost,
            ObjectiveArg::Time => proto::Objective::Time,
            ObjectiveArg::Co2 => proto::Objective::Co2,
            ObjectiveArg::Generalized => proto::Objective::GeneralizedCost,
        }
    }
}

fn status(s: tonic::Status) -> String {
    format!("{:?}: {}", s.code(), s.message())
}

async fn scenario_command(command: ScenarioCommand) -> Result<(), String> {
    use proto::scenario_service_client::ScenarioServiceClient;
    match command {
        ScenarioCommand::Create { file, auth, conn } => {
            let definition = client::read_scenario_file(&file)?;
            let request = client::with_token(
                proto::CreateScenarioRequest {
                    definition: Some(definition),
                    definition_toml: String::new(),
                },
                auth.token.as_deref(),
            )?;
            let created = ScenarioServiceClient::new(conn.channel().await?)
                .create_scenario(request)
                .await
                .map_err(status)?
                .into_inner();
            print!("{}", client::scenarios_table(created.scenario.as_slice()));
        }
        ScenarioCommand::Update {
            id,
            file,
            expected_version,
            auth,
            conn,
        } => {
            let definition = client::read_scenario_file(&file)?;
            let request = client::with_token(
                proto::UpdateScenarioRequest {
                    scenario_id: id,
                    definition: Some(definition),
                    definition_toml: String::new(),
                    expected_version,
                },
                auth.token.as_deref(),
            )?;
            let updated = ScenarioServiceClient::new(conn.channel().await?)
                .update_scenario(request)
                .await
                .map_err(status)?
                .into_inner();
            print!("{}", client::scenarios_table(updated.scenario.as_slice()));
        }
        ScenarioCommand::List { conn } => {
            let mut client = ScenarioServiceClient::new(conn.channel().await?);
            let mut scenarios = Vec::new();
            let mut page_token = String::new();
            loop {
                let page = client
                    .list_scenarios(proto::ListScenariosRequest {
                        page_size: 500,
                        page_token,
                    })
                    .await
                    .map_err(status)?
                    .into_inner();
                scenarios.extend(page.scenarios);
                if page.next_page_token.is_empty() {
                    break;
                }
                page_token = page.next_page_token;
            }
            print!("{}", client::scenarios_table(&scenarios));
        }
        ScenarioCommand::Show { id, conn } => {
            let got = ScenarioServiceClient::new(conn.channel().await?)
                .get_scenario(proto::GetScenarioRequest { scenario_id: id })
                .await
                .map_err(status)?
                .into_inner();
            if let Some(s) = got.scenario {
                print!("{}", client::scenario_file(&s));
            }
        }
        ScenarioCommand::Delete { id, auth, conn } => {
            let request = client::with_token(
                proto::DeleteScenarioRequest {
                    scenario_id: id.clone(),
                },
                auth.token.as_deref(),
            )?;
            ScenarioServiceClient::new(conn.channel().await?)
                .delete_scenario(request)
                .await
                .map_err(status)?;
            println!("deleted {id}");
        }
        ScenarioCommand::Compare {
            id,
            od,
            from,
            days,
            objective,
            exploratory,
            servers,
            demand_file,
            conn,
        } => {
            let od_pairs = od
                .iter()
                .map(|p| {
                    let (origin, destination) = p
                        .split_once(':')
                        .ok_or_else(|| format!("--od '{p}' is not ORIGIN:DESTINATION"))?;
                    Ok(proto::OdPair {
                        origin: origin.to_string(),
                        destination: destination.to_string(),
                        ..Default::default()
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            // A split comparison fixes the window once, so that every server uses the same.
            let from = match servers.is_empty() {
                true => from,
                false => from.or_else(|| Some(jiff::Timestamp::now().as_second())),
            };
            let ready_from = from.map(|seconds| prost_types::Timestamp { seconds, nanos: 0 });
            let ready_until = ready_from.map(|t| prost_types::Timestamp {
                seconds: t.seconds + days * 86_400,
                nanos: 0,
            });
            let request = proto::CompareScenarioRequest {
                scenario_id: id,
                od_pairs,
                ready_from,
                ready_until,
                objective: objective.map_or(0, |o| proto::Objective::from(o).into()),
                include_exploratory: exploratory,
            };
            if !servers.is_empty() {
                return compare_split(request, &servers, &demand_file, &conn).await;
            }
            let mut stream = ScenarioServiceClient::new(conn.channel().await?)
                .compare_scenario(request)
                .await
                .map_err(status)?
                .into_inner();
            print!("{}", client::comparison_header());
            while let Some(message) = stream.message().await.map_err(status)? {
                match message.result {
                    Some(proto::compare_scenario_response::Result::Pair(p)) => {
                        print!("{}", client::comparison_row(&p))
                    }
                    Some(proto::compare_scenario_response::Result::Summary(s)) => {
                        print!("{}", client::comparison_summary(&s))
                    }
                    None => {}
                }
            }
        }
    }
    Ok(())
}

/// `freight scenario compare --servers`: the pairs dealt over the servers, answers merged.
async fn compare_split(
    mut request: proto::CompareScenarioRequest,
    servers: &[String],
    demand_file: &std::path::Path,
    conn: &Connection,
) -> Result<(), String> {
    if request.od_pairs.is_empty() {
        request.od_pairs = freight_router::compare_shards::demand_pairs(demand_file)?;
    }
    let mut channels = Vec::new();
    for server in servers {
        channels.push(client::connect(server, conn.ca_cert.as_deref()).await?);
    }
    print!("{}", client::comparison_header());
    let summary = freight_router::compare_shards::compare(channels, request, |p| {
        print!("{}", client::comparison_row(&p))
    })
    .await
    .map_err(status)?;
    print!("{}", client::comparison_summary(&summary));
    Ok(())
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only on a terminal: a log file or collector gets plain text, with no escape
    // codes of ours among the escaped ones of a request.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
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
            scenario_db,
            store_resync_secs,
            tokens_file,
            planner_tokens,
            read_only_tokens,
            tls_cert,
            tls_key,
            max_connections,
            max_streams_per_connection,
            header_timeout_secs,
            idle_timeout_secs,
            drain_delay_secs,
            grace_secs,
            metrics_addr,
        } => {
            init_tracing(log_format);
            let seconds = |name: &str, v: f64| {
                if v.is_finite() && (0.0..=3600.0).contains(&v) {
                    Ok(std::time::Duration::from_secs_f64(v))
                } else {
                    Err(format!("--{name} {v} is outside 0..3600"))
                }
            };
            if [
                max_connections as u64,
                u64::from(max_streams_per_connection),
                header_timeout_secs,
                idle_timeout_secs,
            ]
            .contains(&0)
            {
                return Err("--max-connections, --max-streams-per-connection, \
                     --header-timeout-secs and --idle-timeout-secs must be positive"
                    .to_string());
            }
            let limits = server::ServerLimits {
                max_connections,
                max_streams_per_connection,
                header_timeout: std::time::Duration::from_secs(header_timeout_secs),
                idle_timeout: std::time::Duration::from_secs(idle_timeout_secs),
                drain_delay: seconds("drain-delay-secs", drain_delay_secs)?,
                grace: seconds("grace-secs", grace_secs)?,
            };
            let mut tokens: Vec<(String, Role)> = Vec::new();
            if let Some(path) = tokens_file {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let parsed =
                    Tokens::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                tokens.extend(parsed.into_entries());
            }
            tokens.extend(planner_tokens.into_iter().map(|t| (t, Role::Planner)));
            tokens.extend(read_only_tokens.into_iter().map(|t| (t, Role::ReadOnly)));
            let config = server::ServerConfig {
                tokens: Tokens::new(tokens),
                tls: tls_cert
                    .zip(tls_key)
                    .map(|(cert, key)| server::TlsFiles { cert, key }),
                limits,
                metrics_addr,
                store_resync: seconds("store-resync-secs", store_resync_secs)?,
                ..server::ServerConfig::new(data_dir, scenario_db)
            };
            let loaded = server::Server::load(&config)
                .await
                .map_err(|e| e.to_string())?;
            let listener = server::bind(addr).await.map_err(|e| e.to_string())?;
            loaded
                .serve(listener, server::shutdown_signal())
                .await
                .map_err(|e| e.to_string())
        }
        Command::Scenario(command) => scenario_command(command).await,
        Command::Loadtest {
            concurrency,
            seconds,
            method,
            origin,
            destination,
            basic,
            scenario,
            write_frame,
            conn,
        } => {
            let find_routes = RouteOptions {
                origin,
                destination,
                count_20ft: 1,
                basic_view: basic,
                ..RouteOptions::default()
            }
            .request();
            if let Some(path) = write_frame {
                let frame = match method {
                    LoadMethod::Health => {
                        client::grpc_frame(&tonic_health::pb::HealthCheckRequest::default())
                    }
                    LoadMethod::FindRoutes => client::grpc_frame(&find_routes),
                    _ => return Err("--write-frame needs --method health or find-routes".into()),
                };
                return std::fs::write(&path, frame)
                    .map_err(|e| format!("{}: {e}", path.display()));
            }
            let channel = conn.channel().await?;
            let duration = std::time::Duration::from_secs(seconds);
            if method == LoadMethod::Compare {
                let scenarios = proto::scenario_service_client::ScenarioServiceClient::new(channel);
                let request = proto::CompareScenarioRequest {
                    scenario_id: scenario,
                    ..Default::default()
                };
                let report = loadtest::run(
                    "freight.v1.ScenarioService/CompareScenario",
                    concurrency,
                    duration,
                    move || {
                        let (mut client, request) = (scenarios.clone(), request.clone());
                        async move {
                            let mut stream = client
                                .compare_scenario(request)
                                .await
                                .map_err(status)?
                                .into_inner();
                            while stream.message().await.map_err(status)?.is_some() {}
                            Ok(())
                        }
                    },
                )
                .await;
                println!("{report}");
                return Ok(());
            }
            if matches!(method, LoadMethod::Health | LoadMethod::Both) {
                let health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
                let report = loadtest::run(
                    "grpc.health.v1.Health/Check",
                    concurrency,
                    duration,
                    move || {
                        let mut client = health.clone();
                        async move {
                            client
                                .check(tonic_health::pb::HealthCheckRequest::default())
                                .await
                                .map(|_| ())
                                .map_err(status)
                        }
                    },
                )
                .await;
                println!("{report}");
            }
            if matches!(method, LoadMethod::FindRoutes | LoadMethod::Both) {
                let routing = RoutingServiceClient::new(channel);
                let request = find_routes;
                let report = loadtest::run(
                    "freight.v1.RoutingService/FindRoutes",
                    concurrency,
                    duration,
                    move || {
                        let (mut client, request) = (routing.clone(), request.clone());
                        async move {
                            let answer = client
                                .find_routes(request)
                                .await
                                .map_err(status)?
                                .into_inner();
                            if answer.routes.is_empty() {
                                return Err(format!("no route: {}", answer.no_route_reason));
                            }
                            Ok(())
                        }
                    },
                )
                .await;
                println!("{report}");
            }
            Ok(())
        }
        Command::Matrix(args) => {
            let mut client = RoutingServiceClient::new(args.conn.channel().await?);
            let request = args.request();
            let ready: Vec<i64> = request.ready_times.iter().map(|t| t.seconds).collect();
            let mut stream = client
                .compute_route_matrix(request)
                .await
                .map_err(status)?
                .into_inner();
            let mut elements = Vec::new();
            while let Some(element) = stream.message().await.map_err(status)? {
                if args.conn.json {
                    println!(
                        "{}",
                        client::matrix_element_json(&element, &args.from, &args.to)
                    );
                } else {
                    elements.push(element);
                }
            }
            if !args.conn.json {
                print!(
                    "{}",
                    client::matrix_table(&args.from, &args.to, &ready, &elements)
                );
            }
            Ok(())
        }
        Command::Reachable {
            origin,
            ready,
            by,
            max_cost_usd,
            teu,
            feu,
            conn,
        } => {
            let route = RouteOptions {
                count_20ft: teu.unwrap_or(if feu > 0 { 0 } else { 1 }),
                count_40ft: feu,
                deliver_by: by,
                max_cost_usd,
                ..RouteOptions::default()
            }
            .request();
            let request = proto::FindReachableRequest {
                origin,
                ready_at: ready.map(|seconds| prost_types::Timestamp { seconds, nanos: 0 }),
                shipment: route.shipment,
                constraints: route.constraints,
                ..Default::default()
            };
            let answer = RoutingServiceClient::new(conn.channel().await?)
                .find_reachable(request)
                .await
                .map_err(status)?
                .into_inner();
            print!("{}", client::reachable_table(&answer));
            Ok(())
        }
        Command::Route(args) => {
            let mut client = RoutingServiceClient::new(args.conn.channel().await?);
            let response = client
                .find_routes(args.options().request())
                .await
                .map_err(|s| format!("{:?}: {}", s.code(), s.message()))?
                .into_inner();
            if let Some(n) = args.geojson {
                let route = n
                    .checked_sub(1)
                    .and_then(|i| response.routes.get(i))
                    .ok_or_else(|| {
                        format!(
                            "--geojson {n}: the answer has {} routes",
                            response.routes.len()
                        )
                    })?;
                println!("{:#}", client::route_geojson(route));
            } else if args.conn.json {
                println!("{:#}", client::routes_json(&response));
            } else {
                print!("{}", client::routes_table(&response));
                if args.emissions {
                    print!("{}", client::emissions_table(&response));
                }
            }
            Ok(())
        }
        Command::Locations { country, conn } => {
            let mut client = NetworkServiceClient::new(conn.channel().await?);
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
        Command::ImportSchedules {
            files,
            data_dir,
            tariff,
            capacity_teu,
            source,
        } => {
            let network =
                freight_router::data::load_network(&data_dir).map_err(|e| e.to_string())?;
            let options = freight_router::data::ScheduleImport {
                tariff,
                capacity_teu,
                source,
            };
            let mut records = Vec::new();
            let mut failed = 0;
            for file in &files {
                match freight_router::data::import_point_to_point(file, &network, &options) {
                    Ok(r) => records.extend(r),
                    Err(errors) => {
                        for e in &errors {
                            eprintln!("{e}");
                        }
                        failed += errors.len();
                    }
                }
            }
            if failed > 0 {
                return Err(format!("{failed} schedule records could not be mapped"));
            }
            print!("{}", freight_router::data::services_toml(&records));
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
