//! Hand-written types that stand in for status-like schemas of the generated code.
//!
//! The v2 API treats statuses and substatuses as open sets: the documentation shows two
//! generations of substatus codes, later API versions added more, and a client built today
//! must not fail a whole response the day a new value appears. typify only generates closed
//! enums, so the generator is told to use these types instead (see
//! `trackingmore_codegen::REPLACEMENTS`).
//!
//! Each open enum has one variant per known value and `Unknown(String)` for anything else.
//! Decoding never fails on a string, and encoding gives back exactly the string that came
//! in, so a value read and written again is unchanged. Numbers are accepted too (the API's
//! own PUT example echoes `"status": "7"`), and are kept as their decimal text.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares an open enum: known variants with their wire strings, plus `Unknown(String)`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept exactly as received.
            Unknown(String),
        }

        impl $name {
            /// Every value this version of the SDK knows, in documentation order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other,
                }
            }

            /// Whether this is a value the SDK knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }

            fn from_wire(value: &str) -> Option<Self> {
                match value {
                    $( $wire => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value).unwrap_or_else(|| $name::Unknown(value.to_owned()))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::from_wire(&value).unwrap_or($name::Unknown(value))
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(OpenValueVisitor).map(Self::from)
            }
        }
    };
}

/// Accepts a string or a number and hands back its text: the wire form of open values.
struct OpenValueVisitor;

impl Visitor<'_> for OpenValueVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }
}

open_enum! {
    /// The package status of a tracking or of one checkpoint.
    ///
    /// ```
    /// use trackingmore::model::Status;
    ///
    /// let known: Status = serde_json::from_str(r#""delivered""#).unwrap();
    /// assert_eq!(known, Status::Delivered);
    ///
    /// let new: Status = serde_json::from_str(r#""in_orbit""#).unwrap();
    /// assert_eq!(new, Status::Unknown("in_orbit".into()));
    /// assert_eq!(serde_json::to_string(&new).unwrap(), r#""in_orbit""#);
    /// ```
    Status {
        /// Just added; the carrier has not been asked yet.
        Pending => "pending",
        /// The carrier has no information about the number yet.
        NotFound => "notfound",
        /// On its way to the recipient.
        Transit => "transit",
        /// Out for delivery, or waiting at a collection point.
        Pickup => "pickup",
        /// Delivered.
        Delivered => "delivered",
        /// A delivery attempt failed.
        Undelivered => "undelivered",
        /// Returned, refused, damaged, lost or held: something went wrong.
        Exception => "exception",
        /// No delivery after a long time (30 days for express, 60 for postal services).
        Expired => "expired",
    }
}

open_enum! {
    /// The finer-grained status code of a tracking or checkpoint, such as `transit004`.
    ///
    /// The documentation has shown two generations of codes; both are known here, and the
    /// meaning of `exception004`..`exception008` is the later one.
    Substatus {
        /// Information received; the carrier is about to collect the parcel.
        NotFound001 => "notfound001",
        /// No tracking information found.
        NotFound002 => "notfound002",
        /// On the way.
        Transit001 => "transit001",
        /// Arrived at a hub or sorting centre.
        Transit002 => "transit002",
        /// Arrived at the delivery facility.
        Transit003 => "transit003",
        /// Arrived in the destination country.
        Transit004 => "transit004",
        /// Customs clearance completed.
        Transit005 => "transit005",
        /// Delivered.
        Delivered001 => "delivered001",
        /// Picked up by the customer.
        Delivered002 => "delivered002",
        /// Signed for by the customer.
        Delivered003 => "delivered003",
        /// Left at the door or with a neighbour.
        Delivered004 => "delivered004",
        /// No information long after it was added.
        Exception001 => "exception001",
        /// No update for a long time while in transit.
        Exception002 => "exception002",
        /// Not delivered long after it was added.
        Exception003 => "exception003",
        /// Not claimed by the addressee.
        Exception004 => "exception004",
        /// Another delivery exception.
        Exception005 => "exception005",
        /// Held by customs.
        Exception006 => "exception006",
        /// Damaged, lost or discarded.
        Exception007 => "exception007",
        /// Cancelled before delivery.
        Exception008 => "exception008",
        /// Refused by the addressee.
        Exception009 => "exception009",
        /// Returned to the sender.
        Exception010 => "exception010",
        /// Being returned to the sender.
        Exception011 => "exception011",
    }
}

impl Substatus {
    /// The package status this substatus belongs to, read from its prefix.
    pub fn status(&self) -> Option<Status> {
        let prefix = self.as_str().trim_end_matches(|c: char| c.is_ascii_digit());
        let status = Status::from(prefix);
        status.is_known().then_some(status)
    }
}

/// A manual change of a tracking's status, the only values `updateTracking` accepts.
///
/// It is sent as the number the API documents (`4`, `7` or `8`); on input the numbers and
/// their string forms (`"7"`, which official samples send) are both accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusChange {
    /// `4`: mark the tracking delivered.
    Delivered,
    /// `7`: mark the tracking as an exception.
    Exception,
    /// `8`: drop a manual status and return to the one computed from checkpoints.
    Revert,
}

impl StatusChange {
    /// The number the API expects.
    pub fn code(self) -> u8 {
        match self {
            StatusChange::Delivered => 4,
            StatusChange::Exception => 7,
            StatusChange::Revert => 8,
        }
    }

    /// The change for an API number, if it is one of 4, 7 or 8.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            4 => Some(StatusChange::Delivered),
            7 => Some(StatusChange::Exception),
            8 => Some(StatusChange::Revert),
            _ => None,
        }
    }
}

/// The value given is not one of the status changes the API accepts.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a status change must be 4 (delivered), 7 (exception) or 8 (revert): {0}")]
pub struct InvalidStatusChange(pub String);

impl FromStr for StatusChange {
    type Err = InvalidStatusChange;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let by_name = match value {
            "delivered" => Some(StatusChange::Delivered),
            "exception" => Some(StatusChange::Exception),
            "revert" => Some(StatusChange::Revert),
            _ => None,
        };
        by_name
            .or_else(|| value.trim().parse().ok().and_then(Self::from_code))
            .ok_or_else(|| InvalidStatusChange(value.to_owned()))
    }
}

impl TryFrom<i64> for StatusChange {
    type Error = InvalidStatusChange;

    fn try_from(code: i64) -> Result<Self, Self::Error> {
        Self::from_code(code).ok_or_else(|| InvalidStatusChange(code.to_string()))
    }
}

impl fmt::Display for StatusChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl Serialize for StatusChange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.code())
    }
}

impl<'de> Deserialize<'de> for StatusChange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = deserializer.deserialize_any(OpenValueVisitor)?;
        text.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_round_trip_unchanged() {
        for wire in [r#""in_orbit""#, r#""delivered""#, r#""""#] {
            let status: Status = serde_json::from_str(wire).expect("any string decodes");
            assert_eq!(serde_json::to_string(&status).expect("encodes"), wire);
        }
        let substatus: Substatus = serde_json::from_str(r#""transit042""#).expect("decodes");
        assert_eq!(substatus, Substatus::Unknown("transit042".into()));
        assert_eq!(substatus.status(), Some(Status::Transit));
    }

    #[test]
    fn numbers_are_kept_as_their_text() {
        let status: Status = serde_json::from_str("7").expect("numbers decode");
        assert_eq!(status, Status::Unknown("7".into()));
    }

    #[test]
    fn status_change_accepts_numbers_and_their_strings_only() {
        for wire in ["7", r#""7""#] {
            let change: StatusChange = serde_json::from_str(wire).expect("decodes");
            assert_eq!(change, StatusChange::Exception);
        }
        assert_eq!(serde_json::to_string(&StatusChange::Revert).expect("encodes"), "8");
        assert!(serde_json::from_str::<StatusChange>("5").is_err());
        assert_eq!("9".parse::<StatusChange>(), Err(InvalidStatusChange("9".into())));
    }
}
