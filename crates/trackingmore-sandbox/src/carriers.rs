//! The built-in carrier list, country names and carrier detection by number pattern.
//!
//! The real service knows over a thousand carriers; the sandbox ships the major global express
//! carriers and national posts, which is enough for every example and test. Codes, names and
//! homepages follow the public carrier list; phone numbers are the carriers' public service
//! numbers and the picture URLs follow the documented pattern (their paths are guessed).

use serde::Serialize;

/// `express` for private integrators, `globalpost` for national posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CarrierKind {
    Express,
    Globalpost,
}

/// One carrier of `GET /carriers`, plus the home country the lifecycle engine uses.
#[derive(Debug)]
pub struct Carrier {
    pub code: &'static str,
    pub name: &'static str,
    pub phone: &'static str,
    pub homepage: &'static str,
    pub kind: CarrierKind,
    /// ISO 3166 alpha-2 of the carrier's home country.
    pub country: &'static str,
}

impl Carrier {
    /// The documented wire shape: name, code, phone, homepage, type, picture.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "code": self.code,
            "phone": self.phone,
            "homepage": self.homepage,
            "type": self.kind,
            "picture": format!("//cdn.trackingmore.com/images/icons/express/{}.png", self.code),
        })
    }
}

macro_rules! carriers {
    ($(($code:literal, $name:literal, $phone:literal, $home:literal, $kind:ident, $country:literal)),* $(,)?) => {
        /// Every carrier the sandbox knows, in the order `GET /carriers` lists them.
        pub static CARRIERS: &[Carrier] = &[$(Carrier {
            code: $code,
            name: $name,
            phone: $phone,
            homepage: $home,
            kind: CarrierKind::$kind,
            country: $country,
        }),*];
    };
}

carriers![
    ("dhl", "DHL", "1 800 225 5345", "//www.dhl.com/", Express, "DE"),
    ("ups", "UPS", "1 800 742 5877", "//www.ups.com/", Express, "US"),
    ("fedex", "Fedex", "1 800 247 4747", "//www.fedex.com/", Express, "US"),
    ("tnt", "TNT", "1 800 558 5555", "//www.tnt.com/", Express, "NL"),
    ("dpd", "DPD", "+49 1806 373 200", "//www.dpd.com/", Express, "DE"),
    ("gls", "GLS", "+49 6677 17 0", "//gls-group.eu/", Express, "DE"),
    ("aramex", "Aramex", "+971 600 544000", "//www.aramex.com/", Express, "AE"),
    ("toll", "Toll", "13 15 31", "//www.tollgroup.com/", Express, "AU"),
    ("usps", "USPS", "1 800 275 8777", "//www.usps.com/", Globalpost, "US"),
    ("china-post", "China Post", "11183", "//www.ems.com.cn/", Globalpost, "CN"),
    ("china-ems", "China EMS", "11183", "//www.ems.com.cn/", Globalpost, "CN"),
    ("royal-mail", "Royal Mail", "03457 740 740", "//www.royalmail.com/", Globalpost, "GB"),
    ("deutsch-post", "Deutsche Post", "0228 4333112", "//www.deutschepost.de/", Globalpost, "DE"),
    ("dhl-germany", "Deutsche Post DHL", "0228 28609898", "//www.dhl.de/", Globalpost, "DE"),
    ("la-poste", "La Poste", "3631", "//www.laposte.fr/", Globalpost, "FR"),
    ("japan-post", "Japan Post", "0570 046 111", "//www.post.japanpost.jp/", Globalpost, "JP"),
    ("singapore-post", "Singapore Post", "+65 6841 2000", "//www.singpost.com/", Globalpost, "SG"),
    ("canada-post", "Canada Post", "1 866 607 6301", "//www.canadapost.ca/", Globalpost, "CA"),
    ("australia-post", "Australia Post", "13 13 18", "//auspost.com.au/", Globalpost, "AU"),
    ("correos-spain", "Correos Spain", "902197197", "//www.correos.es/", Globalpost, "ES"),
    ("postnl-3s", "PostNL International 3S", "0900 0990", "//www.postnl.nl/", Globalpost, "NL"),
    ("poste-italiane", "Poste Italiane", "803 160", "//www.poste.it/", Globalpost, "IT"),
    ("swiss-post", "Swiss Post", "0848 888 888", "//www.post.ch/", Globalpost, "CH"),
    ("austria-post", "Austrian Post", "0800 010 100", "//www.post.at/", Globalpost, "AT"),
    ("belgium-post", "Bpost", "02 278 50 70", "//www.bpost.be/", Globalpost, "BE"),
    ("posten-norge", "Posten Norge", "+47 21316260", "//www.posten.no/", Globalpost, "NO"),
    (
        "sweden-posten",
        "PostNord Sweden",
        "+46 771 33 33 10",
        "//www.postnord.se/",
        Globalpost,
        "SE"
    ),
    ("denmark-post", "PostNord Denmark", "+45 70 70 70 30", "//www.postnord.dk/", Globalpost, "DK"),
    ("finland-posti", "Posti", "+358 200 77000", "//www.posti.fi/", Globalpost, "FI"),
    ("poczta-polska", "Poczta Polska", "43 842 06 00", "//www.poczta-polska.pl/", Globalpost, "PL"),
    ("russian-post", "Russian Post", "8 800 100 00 00", "//www.pochta.ru/", Globalpost, "RU"),
    ("korea-post", "Korea Post", "1588 1300", "//www.epost.go.kr/", Globalpost, "KR"),
    (
        "hong-kong-post",
        "Hong Kong Post",
        "852 2921 2222",
        "//www.hongkongpost.hk/",
        Globalpost,
        "HK"
    ),
    ("taiwan-post", "Chunghwa Post", "0800 700 365", "//www.post.gov.tw/", Globalpost, "TW"),
    ("india-post", "India Post", "1800 266 6868", "//www.indiapost.gov.in/", Globalpost, "IN"),
    ("brazil-correios", "Correios Brazil", "3003 0100", "//www.correios.com.br/", Globalpost, "BR"),
    (
        "correos-mexico",
        "Correos de Mexico",
        "01 800 701 7000",
        "//www.correosdemexico.gob.mx/",
        Globalpost,
        "MX"
    ),
    ("correos-chile", "Correos Chile", "800 267 736", "//www.correos.cl/", Globalpost, "CL"),
    (
        "new-zealand-post",
        "New Zealand Post",
        "0800 501 501",
        "//www.nzpost.co.nz/",
        Globalpost,
        "NZ"
    ),
    ("thailand-post", "Thailand Post", "1545", "//www.thailandpost.co.th/", Globalpost, "TH"),
    ("malaysia-post", "Pos Malaysia", "1 300 300 300", "//www.pos.com.my/", Globalpost, "MY"),
    ("ireland-post", "An Post", "01 705 7600", "//www.anpost.ie/", Globalpost, "IE"),
    ("portugal-ctt", "CTT Portugal", "707 26 26 26", "//www.ctt.pt/", Globalpost, "PT"),
    ("turkey-post", "PTT Turkey", "444 1 788", "//www.ptt.gov.tr/", Globalpost, "TR"),
    ("israel-post", "Israel Post", "*2171", "//www.israelpost.co.il/", Globalpost, "IL"),
    ("yanwen", "Yanwen", "400 108 5656", "//www.yw56.com.cn/", Express, "CN"),
    ("4px", "4PX", "400 920 8686", "//www.4px.com/", Express, "CN"),
    ("sto", "STO Express", "95543", "//www.sto.cn/", Express, "CN"),
    ("yunda", "Yunda Express", "95546", "//www.yundaex.com/", Express, "CN"),
    ("zto", "ZTO Express", "95311", "//www.zto.com/", Express, "CN"),
    ("sf-express", "SF Express", "95338", "//www.sf-express.com/", Express, "CN"),
    ("cainiao", "Cainiao", "", "//global.cainiao.com/", Express, "CN"),
    ("wishpost", "WishPost", "", "//www.wishpost.cn/", Express, "CN"),
];

/// Looks a carrier up by its code (codes are lowercase; the lookup is case-insensitive).
pub fn find(code: &str) -> Option<&'static Carrier> {
    CARRIERS.iter().find(|carrier| carrier.code.eq_ignore_ascii_case(code))
}

/// Country names and three cities each, for checkpoint locations.
static COUNTRIES: &[(&str, &str, [&str; 3])] = &[
    ("AE", "United Arab Emirates", ["DUBAI", "ABU DHABI", "SHARJAH"]),
    ("AT", "Austria", ["WIEN", "GRAZ", "LINZ"]),
    ("AU", "Australia", ["SYDNEY", "MELBOURNE", "BRISBANE"]),
    ("BE", "Belgium", ["BRUXELLES", "ANTWERPEN", "GENT"]),
    ("BR", "Brazil", ["SAO PAULO", "CURITIBA", "RIO DE JANEIRO"]),
    ("CA", "Canada", ["MISSISSAUGA", "MONTREAL", "VANCOUVER"]),
    ("CH", "Switzerland", ["ZUERICH", "BASEL", "GENEVE"]),
    ("CL", "Chile", ["SANTIAGO", "VALPARAISO", "CONCEPCION"]),
    ("CN", "China", ["SHENZHEN", "GUANGZHOU", "SHANGHAI"]),
    ("DE", "Germany", ["FRANKFURT", "LEIPZIG", "BERLIN"]),
    ("DK", "Denmark", ["KOEBENHAVN", "AARHUS", "ODENSE"]),
    ("ES", "Spain", ["MADRID", "BARCELONA", "VALENCIA"]),
    ("FI", "Finland", ["HELSINKI", "VANTAA", "TAMPERE"]),
    ("FR", "France", ["ROISSY CDG", "PARIS", "LYON"]),
    ("GB", "United Kingdom", ["HEATHROW", "COVENTRY", "LONDON"]),
    ("HK", "Hong Kong [CN]", ["HONG KONG", "KOWLOON", "TSUEN WAN"]),
    ("IE", "Ireland", ["DUBLIN", "CORK", "ATHLONE"]),
    ("IL", "Israel", ["TEL AVIV", "JERUSALEM", "HAIFA"]),
    ("IN", "India", ["MUMBAI", "DELHI", "CHENNAI"]),
    ("IT", "Italy", ["MILANO", "ROMA", "BOLOGNA"]),
    ("JP", "Japan", ["TOKYO", "OSAKA", "NAGOYA"]),
    ("KR", "Korea, Republic of", ["INCHEON", "SEOUL", "BUSAN"]),
    ("MX", "Mexico", ["MEXICO CITY", "GUADALAJARA", "MONTERREY"]),
    ("MY", "Malaysia", ["KUALA LUMPUR", "PENANG", "JOHOR BAHRU"]),
    ("NL", "Netherlands", ["AMSTERDAM", "HOOFDDORP", "UTRECHT"]),
    ("NO", "Norway", ["OSLO", "BERGEN", "TROMSO"]),
    ("NZ", "New Zealand", ["AUCKLAND", "WELLINGTON", "CHRISTCHURCH"]),
    ("PL", "Poland", ["WARSZAWA", "KRAKOW", "POZNAN"]),
    ("PT", "Portugal", ["LISBOA", "PORTO", "COIMBRA"]),
    ("RU", "Russian Federation", ["MOSCOW", "SAINT PETERSBURG", "KAZAN"]),
    ("SE", "Sweden", ["STOCKHOLM", "MALMO", "GOTEBORG"]),
    ("SG", "Singapore", ["SINGAPORE", "CHANGI", "JURONG"]),
    ("TH", "Thailand", ["BANGKOK", "CHIANG MAI", "PHUKET"]),
    ("TR", "Turkey", ["ISTANBUL", "ANKARA", "IZMIR"]),
    ("TW", "Taiwan [CN]", ["TAIPEI", "TAOYUAN", "KAOHSIUNG"]),
    ("US", "United States", ["LOS ANGELES", "MEMPHIS", "NEW YORK"]),
];

/// The ISO code of a country given by code or English name (any case), as the table spells
/// it; `None` for countries the table lacks.
pub fn country(text: &str) -> Option<&'static str> {
    let text = text.trim();
    COUNTRIES
        .iter()
        .find(|(code, name, _)| code.eq_ignore_ascii_case(text) || name.eq_ignore_ascii_case(text))
        .map(|(code, ..)| *code)
}

/// The country's display name, the way tracking records spell it.
pub fn country_name(iso2: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(code, ..)| code.eq_ignore_ascii_case(iso2)).map(|(_, name, _)| *name)
}

/// Three cities of the country, or generic place names for countries the table lacks.
pub fn cities(iso2: &str) -> [&'static str; 3] {
    COUNTRIES
        .iter()
        .find(|(code, ..)| code.eq_ignore_ascii_case(iso2))
        .map(|(.., cities)| *cities)
        .unwrap_or(["INTERNATIONAL HUB", "SORTING CENTRE", "DELIVERY OFFICE"])
}

/// The national post of a country, used for destination legs and S10 detection.
pub fn national_post(iso2: &str) -> Option<&'static Carrier> {
    if iso2.eq_ignore_ascii_case("DE") {
        return find("deutsch-post");
    }
    CARRIERS.iter().find(|carrier| {
        carrier.kind == CarrierKind::Globalpost
            && carrier.country.eq_ignore_ascii_case(iso2)
            && carrier.code != "china-ems"
    })
}

/// Carrier candidates for a tracking number, best guess first; empty when nothing matches.
pub fn detect(number: &str) -> Vec<&'static Carrier> {
    let number = number.trim().to_ascii_uppercase();
    let bytes = number.as_bytes();
    let all_digits = !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit);
    let codes: Vec<&str> = if is_s10(bytes) {
        s10_candidates(&number)
    } else if number.starts_with("1Z") && bytes.len() == 18 {
        vec!["ups"]
    } else if number.starts_with("SF")
        && bytes.len() == 14
        && bytes[2..].iter().all(u8::is_ascii_digit)
    {
        vec!["sf-express"]
    } else if number.starts_with("4PX") || number.starts_with("JJD") {
        vec![if number.starts_with("4PX") { "4px" } else { "dhl-germany" }]
    } else if all_digits {
        match bytes.len() {
            9 => vec!["tnt"],
            10 => vec!["dhl"],
            12 => vec!["fedex", "sto"],
            13 => vec!["yunda"],
            14 => vec!["dpd"],
            15 => vec!["fedex"],
            20 if number.starts_with("00340") => vec!["dhl-germany"],
            20..=22 => vec!["usps"],
            _ => vec![],
        }
    } else {
        vec![]
    };
    codes.into_iter().filter_map(find).collect()
}

/// UPU S10: two letters, eight digits and a check digit, then the ISO country code.
fn is_s10(bytes: &[u8]) -> bool {
    bytes.len() == 13
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..11].iter().all(u8::is_ascii_digit)
        && bytes[11..].iter().all(u8::is_ascii_uppercase)
}

fn s10_candidates(number: &str) -> Vec<&'static str> {
    match &number[11..] {
        // China's posts share the suffix; EMS items start with E.
        "CN" if number.starts_with('E') => vec!["china-ems", "china-post"],
        "CN" => vec!["china-post", "china-ems"],
        "YP" => vec!["yanwen"],
        "WW" => vec!["tnt"],
        "DE" => vec!["deutsch-post", "dhl-germany"],
        suffix => national_post(suffix).map(|post| vec![post.code]).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(number: &str) -> Option<&'static str> {
        detect(number).first().map(|carrier| carrier.code)
    }

    #[test]
    fn numbers_are_detected_by_pattern() {
        assert_eq!(best("RB778200154SG"), Some("singapore-post"));
        assert_eq!(best("LX418823107CN"), Some("china-post"));
        assert_eq!(best("EA123456789CN"), Some("china-ems"));
        assert_eq!(best("UG601224190YP"), Some("yanwen"));
        assert_eq!(best("RR123456785DE"), Some("deutsch-post"));
        assert_eq!(best("1Z92X1280365559001"), Some("ups"));
        assert_eq!(best("123456789012"), Some("fedex"));
        assert_eq!(best("1234567890"), Some("dhl"));
        assert_eq!(best("SF123456789012"), Some("sf-express"));
        assert_eq!(best("SBXNOTHING"), None);
    }

    #[test]
    fn countries_are_found_by_code_or_name() {
        assert_eq!(country("es"), Some("ES"));
        assert_eq!(country(" Norway "), Some("NO"));
        assert_eq!(country("Atlantis"), None);
    }

    #[test]
    fn codes_are_unique_and_every_post_has_a_country() {
        let mut codes: Vec<&str> = CARRIERS.iter().map(|carrier| carrier.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CARRIERS.len());
        assert!(CARRIERS.len() >= 40);
        for carrier in CARRIERS.iter().filter(|carrier| carrier.kind == CarrierKind::Globalpost) {
            assert!(country_name(carrier.country).is_some(), "{}", carrier.code);
        }
    }
}
