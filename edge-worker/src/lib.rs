//! Cloudflare Worker host.
