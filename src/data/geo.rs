//! The synthetic geolocation table behind `geo_info_from_ip_address()`.
//!
//! Real Kusto looks addresses up in a commercial geolocation database. kqlab ships this small
//! table instead, written to cover every public address the generators produce, so that a
//! query that geolocates the story's addresses gets the story's places:
//!
//! | block | place | what uses it |
//! |---|---|---|
//! | `203.0.113.45/32` | Lagos, Nigeria | the attacker (campaign sender, MFA fatigue, sign-in, inbox rule) |
//! | `203.0.113.0/24` | Chisinau, Moldova | the campaign's staging server (`203.0.113.77`) |
//! | `198.51.100.87/32` | Bucharest, Romania | the command-and-control server |
//! | `198.51.100.23/32` | Sofia, Bulgaria | the malware lure's sender |
//! | `198.51.100.0/24` | New York, United States | the hotel network of the colleague travelling to New York |
//! | `13/8`, `40/8`, `52/8` | Dublin, Ireland | Microsoft's cloud (Teams, Exchange, SharePoint) |
//! | `140/8`, `185/8` | Frankfurt am Main, Germany | hosting and CDNs |
//! | the 24 `/8` blocks of Contoso's offices and home providers | nine cities in Germany, the Netherlands and Austria | office and home addresses, web traffic to the same blocks |
//! | every other public `/8` | eight hosting hubs (Ashburn, Dallas, London, Paris, Toronto, Singapore, São Paulo, Tokyo), by first octet | partners' and spammers' mail relays, web sites |
//!
//! Private, loopback, link-local, multicast and malformed addresses are not found (the function
//! returns null, as Kusto does for an address it cannot place). The longest matching block wins. The addresses
//! are from the documentation ranges (RFC 5737) for the story and random in the rest, so a block
//! says which city's provider an address belongs to, not where a building is: like a real
//! database, this one places an office address at its provider's city, which need not be the
//! office's.

/// A place as `geo_info_from_ip_address` reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub country: &'static str,
    pub state: &'static str,
    pub city: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

const fn place(country: &'static str, state: &'static str, city: &'static str, latitude: f64, longitude: f64) -> Place {
    Place { country, state, city, latitude, longitude }
}

const LAGOS: Place = place("Nigeria", "Lagos", "Lagos", 6.4541, 3.3947);
const CHISINAU: Place = place("Moldova", "Chisinau", "Chisinau", 47.0105, 28.8638);
const BUCHAREST: Place = place("Romania", "Bucharest", "Bucharest", 44.4268, 26.1025);
const SOFIA: Place = place("Bulgaria", "Sofia City", "Sofia", 42.6977, 23.3219);
const NEW_YORK: Place = place("United States", "New York", "New York", 40.7128, -74.006);
const DUBLIN: Place = place("Ireland", "Leinster", "Dublin", 53.3498, -6.2603);
const FRANKFURT: Place = place("Germany", "Hesse", "Frankfurt am Main", 50.1109, 8.6821);

/// The cities of the home and office providers, in the order the `/8` blocks are dealt out.
const PROVIDER_CITIES: [Place; 9] = [
    place("Germany", "Berlin", "Berlin", 52.52, 13.405),
    place("Netherlands", "North Holland", "Amsterdam", 52.3676, 4.9041),
    place("Austria", "Vienna", "Vienna", 48.2082, 16.3738),
    place("Germany", "Hamburg", "Hamburg", 53.5511, 9.9937),
    place("Netherlands", "South Holland", "Rotterdam", 51.9244, 4.4777),
    place("Austria", "Styria", "Graz", 47.0707, 15.4395),
    place("Germany", "Bavaria", "Munich", 48.1351, 11.582),
    place("Netherlands", "Utrecht", "Utrecht", 52.0907, 5.1214),
    place("Austria", "Upper Austria", "Linz", 48.3069, 14.2858),
];

/// Where the rest of the public address space is, dealt out by first octet.
const HOSTING_HUBS: [Place; 8] = [
    place("United States", "Virginia", "Ashburn", 39.0438, -77.4874),
    place("United States", "Texas", "Dallas", 32.7767, -96.797),
    place("United Kingdom", "England", "London", 51.5074, -0.1278),
    place("France", "Ile-de-France", "Paris", 48.8566, 2.3522),
    place("Canada", "Ontario", "Toronto", 43.6532, -79.3832),
    place("Singapore", "Singapore", "Singapore", 1.3521, 103.8198),
    place("Brazil", "Sao Paulo", "Sao Paulo", -23.5505, -46.6333),
    place("Japan", "Tokyo", "Tokyo", 35.6762, 139.6503),
];

/// The first octets of the public addresses `plan.rs` gives offices and homes (the same list).
const PROVIDER_BLOCKS: [u8; 24] = [20, 23, 31, 37, 45, 51, 62, 73, 77, 81, 86, 88, 91, 94, 98, 104, 109, 136, 151, 176, 178, 188, 212, 217];

/// The blocks with a place of their own, as (network, prefix length, place).
const BLOCKS: [(u32, u32, Place); 10] = [
    (ip(203, 0, 113, 45), 32, LAGOS),
    (ip(203, 0, 113, 0), 24, CHISINAU),
    (ip(198, 51, 100, 87), 32, BUCHAREST),
    (ip(198, 51, 100, 23), 32, SOFIA),
    (ip(198, 51, 100, 0), 24, NEW_YORK),
    (ip(13, 0, 0, 0), 8, DUBLIN),
    (ip(40, 0, 0, 0), 8, DUBLIN),
    (ip(52, 0, 0, 0), 8, DUBLIN),
    (ip(140, 0, 0, 0), 8, FRANKFURT),
    (ip(185, 0, 0, 0), 8, FRANKFURT),
];

const fn ip(a: u8, b: u8, c: u8, d: u8) -> u32 {
    u32::from_be_bytes([a, b, c, d])
}

fn parse(text: &str) -> Option<u32> {
    let mut parts = text.trim().split('.');
    let mut out = [0u8; 4];
    for b in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *b = p.parse().ok()?;
    }
    parts.next().is_none().then(|| u32::from_be_bytes(out))
}

/// Where an IPv4 address is, by the longest matching block; `None` for private, loopback,
/// link-local, multicast and malformed addresses.
pub fn locate(address: &str) -> Option<Place> {
    let a = parse(address)?;
    let hit = BLOCKS.iter().filter(|(net, bits, _)| a >> (32 - bits) == net >> (32 - bits)).max_by_key(|(_, bits, _)| *bits);
    if let Some((_, _, p)) = hit {
        return Some(*p);
    }
    let first = (a >> 24) as u8;
    if let Some(i) = PROVIDER_BLOCKS.iter().position(|b| *b == first) {
        return Some(PROVIDER_CITIES[i % PROVIDER_CITIES.len()]);
    }
    let private = [
        (ip(0, 0, 0, 0), 8),
        (ip(10, 0, 0, 0), 8),
        (ip(127, 0, 0, 0), 8),
        (ip(169, 254, 0, 0), 16),
        (ip(172, 16, 0, 0), 12),
        (ip(192, 168, 0, 0), 16),
        (ip(224, 0, 0, 0), 3),
    ];
    if private.iter().any(|(net, bits)| a >> (32 - bits) == net >> (32 - bits)) {
        return None;
    }
    Some(HOSTING_HUBS[first as usize % HOSTING_HUBS.len()])
}

/// `geo_info_from_ip_address`'s property bag for an address, as JSON text (keys in Kusto's
/// order: country, state, city, latitude, longitude); `None` when the address is not found.
pub fn info_json(address: &str) -> Option<String> {
    let p = locate(address)?;
    Some(format!(r#"{{"country":"{}","state":"{}","city":"{}","latitude":{},"longitude":{}}}"#, p.country, p.state, p.city, p.latitude, p.longitude))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_addresses_land_in_the_story_places() {
        assert_eq!(locate("203.0.113.45").map(|p| p.country), Some("Nigeria"));
        assert_eq!(locate("203.0.113.77").map(|p| p.city), Some("Chisinau"));
        assert_eq!(locate("198.51.100.87").map(|p| p.country), Some("Romania"));
        assert_eq!(locate("198.51.100.30").map(|p| p.city), Some("New York"));
        assert_eq!(locate("52.112.3.4").map(|p| p.country), Some("Ireland"));
        assert_eq!(locate("123.0.124.41").map(|p| p.city), Some("Paris"));
        for private in ["10.10.0.10", "192.168.1.20", "172.20.1.1", "169.254.3.3", "127.0.0.1", "239.1.1.1", "", "1.2.3", "300.1.1.1", "1.2.3.4.5", "abc"] {
            assert_eq!(locate(private), None, "{private}");
        }
        assert_eq!(PROVIDER_BLOCKS.len(), 24);
        assert!(info_json("203.0.113.45").unwrap().starts_with(r#"{"country":"Nigeria","state":"Lagos","city":"Lagos","latitude":6.4541"#));
    }
}
