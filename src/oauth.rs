//! The client-credentials grant (RFC 6749 §4.4) as Genesys Cloud documents
//! it: `POST https://login.<region domain>/oauth/token` with
//! `grant_type=client_credentials` and HTTP Basic `client_id:client_secret`.
//! Pure: the request's pieces and the answer's meaning; the client sends.
//!
//! The secret appears in one place only, the `Authorization` header built
//! here: no error, message or debug output of this crate contains it.

use crate::decode::{fields, opt_string, At, FromJson};
use crate::error::{ApiErrorDetails, BillingError, Result};
use crate::json::{ToJson, Value, Writer};
use std::fmt;

/// The body of a client-credentials token request.
pub const TOKEN_REQUEST_BODY: &str = "grant_type=client_credentials";

/// A client id and secret, checked not to be empty. `Debug` hides the
/// secret, so a stray `{:?}` cannot print it.
pub struct ClientCredentials {
    client_id: String,
    client_secret: String,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<hidden>")
            .finish()
    }
}

impl ClientCredentials {
    pub fn new(client_id: String, client_secret: String) -> Result<Self> {
        for (name, value) in [("clientId", &client_id), ("clientSecret", &client_secret)] {
            if value.trim().is_empty() {
                return Err(BillingError::InvalidOption {
                    option: name.into(),
                    reason: "is required".into(),
                });
            }
        }
        // A colon in the id would move the split between id and secret.
        if client_id.contains(':') {
            return Err(BillingError::InvalidOption {
                option: "clientId".into(),
                reason: "cannot contain ':' (HTTP Basic separates the id from the secret with it)"
                    .into(),
            });
        }
        Ok(Self {
            client_id,
            client_secret,
        })
    }

    /// `Basic base64(id:secret)`.
    pub fn authorization(&self) -> String {
        let pair = format!("{}:{}", self.client_id, self.client_secret);
        format!("Basic {}", base64(pair.as_bytes()))
    }
}

/// Standard base64 with padding (RFC 4648 §4), as HTTP Basic uses it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A token the login service issued.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessToken {
    pub access_token: String,
    pub token_type: String,
    /// Seconds until it expires.
    pub expires_in: u64,
}

impl FromJson for AccessToken {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [token, kind, expires] = fields(
            v,
            at,
            "the token response",
            &["access_token", "token_type", "expires_in"],
            false,
        )?;
        let access_token = crate::decode::string(token, at, "access_token")?;
        if access_token.is_empty() {
            return Err(BillingError::MissingField {
                field: "access_token".into(),
                context: "the token response".into(),
            });
        }
        Ok(AccessToken {
            access_token,
            token_type: opt_string(kind, at, "token_type")?.unwrap_or_else(|| "bearer".into()),
            expires_in: crate::decode::opt_i64(expires, at, "expires_in")?
                .map_or(0, |n| n.max(0) as u64),
        })
    }
}

impl ToJson for AccessToken {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("accessToken");
        w.string(&self.access_token);
        w.key("expiresIn");
        w.u64(self.expires_in);
        w.key("tokenType");
        w.string(&self.token_type);
        w.end_object();
    }
}

/// The OAuth error body: `{"error": "invalid_client", "description": …}`
/// (Genesys also writes `error_description`, the RFC's name).
struct OAuthError {
    error: Option<String>,
    description: Option<String>,
}

impl FromJson for OAuthError {
    fn from_json(v: &Value<'_>, at: At<'_>) -> Result<Self> {
        let [error, description, error_description] = fields(
            v,
            at,
            "the token error",
            &["error", "description", "error_description"],
            false,
        )?;
        Ok(OAuthError {
            error: opt_string(error, at, "error")?,
            description: opt_string(description, at, "description")?.or(opt_string(
                error_description,
                at,
                "error_description",
            )?),
        })
    }
}

/// A 400 or 401 from the token endpoint: the grant was refused, and
/// retrying cannot help. Other failures go through the retry policy.
pub fn refused(status: u16, body: &str) -> Option<BillingError> {
    if !matches!(status, 400 | 401) {
        return None;
    }
    let parsed = crate::decode::from_str::<OAuthError>("the token error", body).ok();
    Some(BillingError::TokenRequestFailed {
        status,
        details: ApiErrorDetails {
            api_code: parsed.as_ref().and_then(|p| p.error.clone()),
            message: parsed.and_then(|p| p.description),
            context_id: None,
            correlation_id: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn basic_authorization_and_a_hidden_secret() {
        let c = ClientCredentials::new("mock-client".into(), "mock-secret".into()).unwrap();
        assert_eq!(c.authorization(), "Basic bW9jay1jbGllbnQ6bW9jay1zZWNyZXQ=");
        assert!(!format!("{c:?}").contains("mock-secret"));
        let e = ClientCredentials::new("id".into(), " ".into()).unwrap_err();
        assert_eq!(e.code(), "invalid_option");
        assert!(e.to_string().contains("clientSecret"));
        let e = ClientCredentials::new("a:b".into(), "s".into()).unwrap_err();
        assert!(e.to_string().contains("clientId"));
    }

    #[test]
    fn token_response_and_refusals() {
        let t: AccessToken = crate::decode::from_str(
            "the token response",
            r#"{"access_token":"abc","token_type":"bearer","expires_in":86399}"#,
        )
        .unwrap();
        assert_eq!(
            crate::json::to_string(&t),
            r#"{"accessToken":"abc","expiresIn":86399,"tokenType":"bearer"}"#
        );
        let e = refused(
            401,
            r#"{"error":"invalid_client","description":"client not found","error_description":"client not found"}"#,
        )
        .unwrap();
        assert_eq!(e.code(), "token_request_failed");
        assert_eq!(e.status(), Some(401));
        let d = e.api_details().unwrap();
        assert_eq!(d.api_code.as_deref(), Some("invalid_client"));
        assert_eq!(d.message.as_deref(), Some("client not found"));
        assert!(e.to_string().contains("invalid_client"), "{e}");
        // A proxy's HTML: still a refusal, without details.
        assert_eq!(
            refused(400, "<html>").unwrap().code(),
            "token_request_failed"
        );
        assert!(refused(503, "").is_none());
        assert!(refused(429, "").is_none());
    }
}
