//! Genesys Cloud regions and the API origin a token may be sent to.

use crate::error::{BillingError, Result};
use crate::json::{ToJson, Writer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// AWS-style name, e.g. `eu-west-1`.
    pub id: &'static str,
    /// The public domain: `api.`, `login.` and `apps.` hosts hang off it.
    pub domain: &'static str,
    pub name: &'static str,
    /// The environment name a Genesys Cloud client app is given
    /// (`gcTargetEnv`), as genesys-cloud-service-discovery-web names it
    /// (EU sovereign: `eusc-edee1-core`, listed there as alpha).
    pub client_app_env: &'static str,
}

impl ToJson for Region {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id");
        w.string(self.id);
        w.key("domain");
        w.string(self.domain);
        w.key("name");
        w.string(self.name);
        w.key("clientAppEnvironment");
        w.string(self.client_app_env);
        w.end_object();
    }
}

/// The 18 regions of the platform SDK 262 (PureCloudRegionHosts.js).
pub const REGIONS: &[Region] = &[
    Region {
        id: "us-east-1",
        client_app_env: "prod",
        domain: "mypurecloud.com",
        name: "US East (Virginia)",
    },
    Region {
        id: "us-east-2",
        client_app_env: "fedramp-use2-core",
        domain: "use2.us-gov-pure.cloud",
        name: "US East 2 (Ohio), FedRAMP",
    },
    Region {
        id: "us-west-2",
        client_app_env: "prod-usw2",
        domain: "usw2.pure.cloud",
        name: "US West (Oregon)",
    },
    Region {
        id: "ca-central-1",
        client_app_env: "prod-cac1",
        domain: "cac1.pure.cloud",
        name: "Canada (Central)",
    },
    Region {
        id: "eu-west-1",
        client_app_env: "prod-euw1",
        domain: "mypurecloud.ie",
        name: "Europe (Ireland)",
    },
    Region {
        id: "eu-west-2",
        client_app_env: "prod-euw2",
        domain: "euw2.pure.cloud",
        name: "Europe (London)",
    },
    Region {
        id: "eu-central-1",
        client_app_env: "prod-euc1",
        domain: "mypurecloud.de",
        name: "Europe (Frankfurt)",
    },
    Region {
        id: "eu-central-2",
        client_app_env: "prod-euc2",
        domain: "euc2.pure.cloud",
        name: "Europe (Zurich)",
    },
    Region {
        id: "ap-south-1",
        client_app_env: "prod-aps1",
        domain: "aps1.pure.cloud",
        name: "Asia Pacific (Mumbai)",
    },
    Region {
        id: "ap-northeast-1",
        client_app_env: "prod-apne1",
        domain: "mypurecloud.jp",
        name: "Asia Pacific (Tokyo)",
    },
    Region {
        id: "ap-northeast-2",
        client_app_env: "prod-apne2",
        domain: "apne2.pure.cloud",
        name: "Asia Pacific (Seoul)",
    },
    Region {
        id: "ap-northeast-3",
        client_app_env: "prod-apne3",
        domain: "apne3.pure.cloud",
        name: "Asia Pacific (Osaka)",
    },
    Region {
        id: "ap-southeast-2",
        client_app_env: "prod-apse2",
        domain: "mypurecloud.com.au",
        name: "Asia Pacific (Sydney)",
    },
    Region {
        id: "ap-southeast-1",
        client_app_env: "prod-apse1",
        domain: "apse1.pure.cloud",
        name: "Asia Pacific (Singapore)",
    },
    Region {
        id: "sa-east-1",
        client_app_env: "prod-sae1",
        domain: "sae1.pure.cloud",
        name: "South America (São Paulo)",
    },
    Region {
        id: "me-central-1",
        client_app_env: "prod-mec1",
        domain: "mec1.pure.cloud",
        name: "Middle East (UAE)",
    },
    Region {
        id: "mx-central-1",
        client_app_env: "prod-mxc1",
        domain: "mxc1.pure.cloud",
        name: "Mexico (Central)",
    },
    Region {
        id: "eusc-de-east-1",
        client_app_env: "eusc-edee1-core",
        domain: "edee1.eusc-pure.cloud",
        name: "EU sovereign cloud (Germany East)",
    },
];

impl Region {
    pub fn api_base_url(&self) -> String {
        format!("https://api.{}", self.domain)
    }

    pub fn login_base_url(&self) -> String {
        format!("https://login.{}", self.domain)
    }
}

/// Finds a region from what a user or a client-app URL gives: a domain
/// (`mypurecloud.ie`), an AWS-style name (`eu-west-1`, also `eu_west_1`),
/// a client app's environment name (`prod-euw1`, `gcTargetEnv`; also the
/// aliases service discovery accepts: `euw1`, `use1`, `fedramp-use2`), or an
/// `api.`/`login.`/`apps.` host, with or without `https://` and path.
pub fn resolve(input: &str) -> Result<&'static Region> {
    let mut s = input.trim().to_ascii_lowercase();
    for scheme in ["https://", "http://"] {
        if let Some(rest) = s.strip_prefix(scheme) {
            s = rest.to_string();
        }
    }
    let host = s
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    let host = host.split(':').next().unwrap_or("");
    let bare = ["api.", "login.", "apps."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .unwrap_or(host);
    let as_id = bare.replace('_', "-");
    let as_env = match bare {
        "use1" | "prod" => "prod".to_string(),
        "fedramp-use2" => "fedramp-use2-core".to_string(),
        short if !short.contains('-') && !short.contains('.') => format!("prod-{short}"),
        env => env.to_string(),
    };
    REGIONS
        .iter()
        .find(|r| r.domain == bare || r.id == as_id || r.client_app_env == as_env)
        .ok_or_else(|| BillingError::UnknownRegion {
            input: input.to_string(),
            known: REGIONS
                .iter()
                .map(|r| format!("{} ({})", r.domain, r.id))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Checks an explicit API base URL (tests, proxies) and returns its origin
/// without a trailing slash: the only place the token will be sent.
pub fn api_origin(base: &str) -> Result<String> {
    let err = |reason| BillingError::InvalidBaseUrl {
        input: base.to_string(),
        reason,
    };
    let (scheme, rest) = base
        .split_once("://")
        .ok_or_else(|| err("expected http:// or https://"))?;
    let scheme = scheme.to_ascii_lowercase();
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host_port.is_empty() || host_port.contains('@') || host_port.contains(char::is_whitespace) {
        return Err(err("expected a host, without user info or spaces"));
    }
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    // An IPv4 literal in 127/8, not any name starting "127." (127.example.com
    // is a public host that DNS may point anywhere).
    let loopback = host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback());
    match scheme.as_str() {
        "https" => {}
        // Plain HTTP would expose the token on the wire: only for a local mock.
        "http" if loopback => {}
        "http" => return Err(err("plain http is only allowed for localhost")),
        _ => return Err(err("expected http:// or https://")),
    }
    let path = &rest[host_port.len()..];
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    Ok(format!(
        "{scheme}://{}{path}",
        host_port.to_ascii_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighteen_distinct_regions() {
        assert_eq!(REGIONS.len(), 18);
        for (i, a) in REGIONS.iter().enumerate() {
            for b in &REGIONS[i + 1..] {
                assert_ne!(a.id, b.id);
                assert_ne!(a.domain, b.domain);
            }
        }
    }

    #[test]
    fn resolves_domains_names_and_hosts() {
        for input in [
            "mypurecloud.ie",
            "eu-west-1",
            "eu_west_1",
            "api.mypurecloud.ie",
            "login.mypurecloud.ie",
            "https://apps.mypurecloud.ie/",
            "HTTPS://API.MYPURECLOUD.IE/api/v2",
            " mypurecloud.ie ",
        ] {
            assert_eq!(resolve(input).unwrap().id, "eu-west-1", "{input}");
        }
        assert_eq!(resolve("mypurecloud.com.au").unwrap().id, "ap-southeast-2");
        // A client app's gcTargetEnv, and the aliases service discovery takes.
        for (env, id) in [
            ("prod-euw1", "eu-west-1"),
            ("euw1", "eu-west-1"),
            ("prod", "us-east-1"),
            ("use1", "us-east-1"),
            ("fedramp-use2-core", "us-east-2"),
            ("fedramp-use2", "us-east-2"),
            ("prod-apse2", "ap-southeast-2"),
            ("eusc-edee1-core", "eusc-de-east-1"),
        ] {
            assert_eq!(resolve(env).unwrap().id, id, "{env}");
        }
        assert_eq!(resolve("prod-xyz1").unwrap_err().code(), "unknown_region");
        // Every region has its own environment name.
        let mut envs: Vec<_> = REGIONS.iter().map(|r| r.client_app_env).collect();
        envs.sort();
        envs.dedup();
        assert_eq!(envs.len(), REGIONS.len());
        assert_eq!(
            resolve("edee1.eusc-pure.cloud").unwrap().id,
            "eusc-de-east-1"
        );
        assert_eq!(
            resolve("mypurecloud.ie").unwrap().api_base_url(),
            "https://api.mypurecloud.ie"
        );
    }

    #[test]
    fn unknown_region_lists_the_known_ones() {
        let e = resolve("mypurecloud.fr").unwrap_err();
        assert_eq!(e.code(), "unknown_region");
        let msg = e.to_string();
        assert!(
            msg.contains("mypurecloud.fr") && msg.contains("mypurecloud.ie (eu-west-1)"),
            "{msg}"
        );
        assert!(resolve("evil.mypurecloud.ie.attacker.com").is_err());
        assert!(resolve("").is_err());
    }

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            api_origin("http://127.0.0.1:18787/").unwrap(),
            "http://127.0.0.1:18787"
        );
        assert_eq!(
            api_origin("https://proxy.example.com/genesys/").unwrap(),
            "https://proxy.example.com/genesys"
        );
        for bad in [
            "ftp://x",
            "http://example.com",
            "127.0.0.1:8080",
            "https://user:pw@x.com",
            "https://",
            "http://127.example.com",
            "http://127.0.0.1.example.com/",
        ] {
            assert_eq!(
                api_origin(bad).unwrap_err().code(),
                "invalid_base_url",
                "{bad}"
            );
        }
    }
}
