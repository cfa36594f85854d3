//! `freight.v1.NetworkService`: browsing locations and services, with paging.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::{convert, ApiError, NetworkState};
use crate::proto::{self, network_service_server::NetworkService};

const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 500;

/// The network-browsing service over one shared network.
#[derive(Debug, Clone)]
pub struct NetworkApi {
    state: Arc<NetworkState>,
}

impl NetworkApi {
    pub fn new(state: Arc<NetworkState>) -> Self {
        NetworkApi { state }
    }
}

/// Page size and start offset of a listing. Page tokens are the offset of the next item.
pub(super) fn page(
    page_size: i32,
    page_token: &str,
    total: usize,
) -> Result<(usize, usize), ApiError> {
    let size = match page_size {
        0 => DEFAULT_PAGE_SIZE,
        n if n < 0 => {
            return Err(ApiError::invalid(
                "page_size",
                format!("must not be negative, got {n}"),
            ))
        }
        n => (n as usize).min(MAX_PAGE_SIZE),
    };
    let start = if page_token.is_empty() {
        0
    } else {
        page_token
            .parse::<usize>()
            .ok()
            .filter(|&s| s > 0 && s < total)
            .ok_or_else(|| {
                ApiError::invalid(
                    "page_token",
                    format!("'{page_token}' is not a token from a previous page"),
                )
            })?
    };
    Ok((size, start))
}

pub(super) fn next_token(start: usize, size: usize, total: usize) -> String {
    if start + size < total {
        (start + size).to_string()
    } else {
        String::new()
    }
}

#[tonic::async_trait]
impl NetworkService for NetworkApi {
    async fn list_locations(
        &self,
        request: Request<proto::ListLocationsRequest>,
    ) -> Result<Response<proto::ListLocationsResponse>, Status> {
        super::metered::observe!("ListLocations", async move {
            let req = request.into_inner();
            let network = &self.state.network;
            let country = req.country_code.trim().to_ascii_uppercase();
            if !country.is_empty()
                && (country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()))
            {
                return Err(ApiError::invalid(
                    "country_code",
                    format!("'{}' is not an ISO 3166-1 alpha-2 code", req.country_code),
                )
                .into());
            }
            let matching: Vec<_> = network
                .locations()
                .filter(|(_, ids)| {
                    country.is_empty() || network.terminal(ids[0]).country == country
                })
                .collect();
            let (size, start) = page(req.page_size, &req.page_token, matching.len())?;
            Ok(Response::new(proto::ListLocationsResponse {
                locations: matching
                    .iter()
                    .skip(start)
                    .take(size)
                    .map(|(locode, ids)| convert::location(network, locode, ids))
                    .collect(),
                next_page_token: next_token(start, size, matching.len()),
            }))
        })
        .await
    }

    async fn get_location(
        &self,
        request: Request<proto::GetLocationRequest>,
    ) -> Result<Response<proto::GetLocationResponse>, Status> {
        super::metered::observe!("GetLocation", async move {
            let code = request.into_inner().code;
            let network = &self.state.network;
            if code.trim().is_empty() {
                return Err(ApiError::invalid(
                    "code",
                    "is empty; give a UN/LOCODE, IATA code or terminal id",
                )
                .into());
            }
            let locode = network
                .locode_of(&code)
                .ok_or_else(|| ApiError::not_found("code", &code))?;
            let ids = network
                .resolve(locode)
                .expect("a LOCODE found by locode_of resolves");
            Ok(Response::new(proto::GetLocationResponse {
                location: Some(convert::location(network, locode, &ids)),
            }))
        })
        .await
    }

    async fn list_services(
        &self,
        request: Request<proto::ListServicesRequest>,
    ) -> Result<Response<proto::ListServicesResponse>, Status> {
        super::metered::observe!("ListServices", async move {
            let req = request.into_inner();
            let network = &self.state.network;
            let mode = proto::TransportMode::try_from(req.mode).map_err(|_| {
                ApiError::invalid("mode", format!("{} is not a transport mode", req.mode))
            })?;
            let mode = convert::mode_from_proto(mode);
            let mut matching: Vec<_> = network
                .services()
                .iter()
                .filter(|s| !s.drayage && mode.is_none_or(|m| s.mode == m))
                .collect();
            matching.sort_by(|a, b| a.code.cmp(&b.code));
            let (size, start) = page(req.page_size, &req.page_token, matching.len())?;
            Ok(Response::new(proto::ListServicesResponse {
                services: matching
                    .iter()
                    .skip(start)
                    .take(size)
                    .map(|s| convert::service(network, s, req.include_path))
                    .collect(),
                next_page_token: next_token(start, size, matching.len()),
            }))
        })
        .await
    }
}
