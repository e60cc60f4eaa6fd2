//! The smaller operation groups: [`Account`], [`Carriers`] and [`Tools`], with their inputs
//! ([`CountFilters`], [`Place`], [`Lane`]).

use crate::client::{Client, require};
use crate::envelope::Response;
use crate::error::{Error, Result};
use crate::operation::Operation;
use crate::types;

/// Account information and counts per status; see [`Client::account`].
#[derive(Clone, Copy, Debug)]
pub struct Account<'a> {
    client: &'a Client,
}

/// Time windows of [`Account::status_counts`], in unix seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountFilters {
    /// Created at or after.
    pub created_at_min: Option<i64>,
    /// Created at or before.
    pub created_at_max: Option<i64>,
    /// Order placed at or after.
    pub order_created_time_min: Option<i64>,
    /// Order placed at or before.
    pub order_created_time_max: Option<i64>,
}

impl CountFilters {
    /// No filter: every tracking.
    pub fn new() -> CountFilters {
        CountFilters::default()
    }

    /// Only trackings created within `[min, max]`.
    pub fn created_between(mut self, min: Option<i64>, max: Option<i64>) -> Self {
        (self.created_at_min, self.created_at_max) = (min, max);
        self
    }

    /// Only trackings whose order was placed within `[min, max]`.
    pub fn ordered_between(mut self, min: Option<i64>, max: Option<i64>) -> Self {
        (self.order_created_time_min, self.order_created_time_max) = (min, max);
        self
    }
}

impl<'a> Account<'a> {
    pub(crate) fn new(client: &'a Client) -> Account<'a> {
        Account { client }
    }

    /// The account's e-mail, balance and remaining tracking quota (`getUserInfo`).
    pub async fn user_info(self) -> Result<Response<types::UserInfo>> {
        let send = move || self.client.api().get_user_info().send();
        let response = self.client.call(Operation::GetUserInfo, send).await?;
        require(Operation::GetUserInfo, response)
    }

    /// How many trackings are in each status (`getStatusCounts`).
    pub async fn status_counts(
        self,
        filters: &CountFilters,
    ) -> Result<Response<types::StatusCounts>> {
        let mut builder = self.client.api().get_status_counts();
        if let Some(v) = filters.created_at_min {
            builder = builder.created_at_min(v);
        }
        if let Some(v) = filters.created_at_max {
            builder = builder.created_at_max(v);
        }
        if let Some(v) = filters.order_created_time_min {
            builder = builder.order_created_time_min(v);
        }
        if let Some(v) = filters.order_created_time_max {
            builder = builder.order_created_time_max(v);
        }
        let response = self.client.call(Operation::GetStatusCounts, move || builder.send()).await?;
        require(Operation::GetStatusCounts, response)
    }
}

/// The carrier list and carrier detection; see [`Client::carriers`].
#[derive(Clone, Copy, Debug)]
pub struct Carriers<'a> {
    client: &'a Client,
}

impl<'a> Carriers<'a> {
    pub(crate) fn new(client: &'a Client) -> Carriers<'a> {
        Carriers { client }
    }

    /// Every supported carrier, names in `lang` when given (`listCarriers`; `en`, `cn`,
    /// `tw`, `es`, `ru` or `it`).
    pub async fn list(self, lang: Option<&str>) -> Result<Response<Vec<types::Carrier>>> {
        let mut builder = self.client.api().list_carriers();
        if let Some(lang) = lang.map(str::trim).filter(|lang| !lang.is_empty()) {
            builder = builder.lang(lang.to_owned());
        }
        let response = self.client.call(Operation::ListCarriers, move || builder.send()).await?;
        Ok(response.map(Option::unwrap_or_default))
    }

    /// The carriers that may have issued `tracking_number`, best guess first
    /// (`detectCarrier`); 4032 when none does.
    pub async fn detect(
        self,
        tracking_number: &str,
    ) -> Result<Response<Vec<types::DetectedCarrier>>> {
        let number = tracking_number.trim();
        let body = types::DetectCarrierRequest {
            lang: None,
            tracking_number: number
                .parse()
                .map_err(|_| Error::invalid("the tracking number must not be empty"))?,
        };
        let send = move || self.client.api().detect_carrier().body(body).send();
        let response = self.client.call(Operation::DetectCarrier, send).await?;
        Ok(response.map(Option::unwrap_or_default))
    }
}

/// A place to check for remote-area surcharges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Country name or ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Postcode, or the city where the country has none.
    pub postcode: String,
    /// Only this carrier (`dhl`, `ups`, `fedex` or `tnt`).
    pub company: Option<String>,
}

impl Place {
    /// A place in `country` with `postcode`, checked for every carrier.
    pub fn new(country: impl Into<String>, postcode: impl Into<String>) -> Place {
        Place { country: country.into(), postcode: postcode.into(), company: None }
    }

    /// Checks only this carrier.
    pub fn company(mut self, company: impl Into<String>) -> Place {
        self.company = Some(company.into());
        self
    }
}

/// A lane for transit-time statistics: a carrier from one country to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// The carrier code.
    pub carrier_code: String,
    /// Origin country, ISO 3166-1 alpha-2.
    pub from: String,
    /// Destination country, ISO 3166-1 alpha-2.
    pub to: String,
}

impl Lane {
    /// `carrier_code` from `from` to `to`.
    pub fn new(
        carrier_code: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> Lane {
        Lane { carrier_code: carrier_code.into(), from: from.into(), to: to.into() }
    }
}

/// Remote areas, transit times and air cargo; see [`Client::tools`].
#[derive(Clone, Copy, Debug)]
pub struct Tools<'a> {
    client: &'a Client,
}

fn field<T: std::str::FromStr>(value: &str, what: &str, index: usize) -> Result<T> {
    value.trim().parse().map_err(|_| {
        Error::invalid(format!("the {what} must not be empty (item {index}): {value:?}"))
    })
}

fn non_empty<T>(items: &[T], what: &str) -> Result<()> {
    if items.is_empty() {
        return Err(Error::invalid(format!("at least one {what} is needed: 0")));
    }
    Ok(())
}

impl<'a> Tools<'a> {
    pub(crate) fn new(client: &'a Client) -> Tools<'a> {
        Tools { client }
    }

    /// Which carriers list each place as a remote area (`checkRemoteAreas`).
    pub async fn remote_areas(
        self,
        places: impl IntoIterator<Item = Place>,
    ) -> Result<Response<types::RemoteAreaResult>> {
        let places: Vec<Place> = places.into_iter().collect();
        non_empty(&places, "place")?;
        let body = places
            .iter()
            .enumerate()
            .map(|(index, place)| {
                Ok(types::RemoteAreaQuery {
                    company: place.company.clone(),
                    country: field(&place.country, "country", index)?,
                    postcode: field(&place.postcode, "postcode", index)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let send = move || self.client.api().check_remote_areas().body(body).send();
        let response = self.client.call(Operation::CheckRemoteAreas, send).await?;
        require(Operation::CheckRemoteAreas, response)
    }

    /// Delivery-time statistics per lane (`getTransitTimes`).
    pub async fn transit_times(
        self,
        lanes: impl IntoIterator<Item = Lane>,
    ) -> Result<Response<Vec<types::TransitTime>>> {
        let lanes: Vec<Lane> = lanes.into_iter().collect();
        non_empty(&lanes, "lane")?;
        let body = lanes
            .iter()
            .enumerate()
            .map(|(index, lane)| {
                Ok(types::TransitTimeQuery {
                    carrier_code: field(&lane.carrier_code, "carrier code", index)?,
                    original: field(&lane.from, "origin country", index)?,
                    destination: field(&lane.to, "destination country", index)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let send = move || self.client.api().get_transit_times().body(body).send();
        let response = self.client.call(Operation::GetTransitTimes, send).await?;
        Ok(response.map(Option::unwrap_or_default))
    }

    /// Tracks air waybills (`trackAirCargo`); each one costs 20 quota units, so ambiguous
    /// failures are not retried.
    pub async fn air_cargo<S: Into<String>>(
        self,
        waybills: impl IntoIterator<Item = S>,
        lang: Option<&str>,
    ) -> Result<Response<Vec<types::AirCargo>>> {
        let waybills: Vec<String> = waybills.into_iter().map(Into::into).collect();
        non_empty(&waybills, "air waybill")?;
        if let Some(index) = waybills.iter().position(|awb| awb.trim().is_empty()) {
            return Err(Error::invalid(format!("an air waybill number is empty: item {index}")));
        }
        let body = types::AirCargoRequest {
            lang: lang.map(str::to_owned),
            track_number: waybills.iter().map(|awb| awb.trim().to_owned()).collect(),
        };
        let send = move || self.client.api().track_air_cargo().body(body).send();
        let response = self.client.call(Operation::TrackAirCargo, send).await?;
        Ok(response.map(Option::unwrap_or_default))
    }
}
