//! Secrets from the runtime's Web Crypto: SHA-256 digests and random tokens (no Rust crypto
//! crates, so the wasm stays small).

use js_sys::{futures::JsFuture, ArrayBuffer, Promise, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::codec::hex;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = digest, catch)]
    fn digest(algorithm: &str, data: &[u8]) -> Result<Promise, JsValue>;
}

/// The SHA-256 digest of `data`, as lower-case hex.
pub async fn sha256_hex(data: &[u8]) -> worker::Result<String> {
    let buffer: ArrayBuffer = JsFuture::from(digest("SHA-256", data)?).await?.dyn_into()?;
    Ok(hex(&Uint8Array::new(&buffer).to_vec()))
}

/// A new random secret: `prefix` followed by 32 random bytes as hex (256 bits of entropy).
pub fn random_token(prefix: &str) -> worker::Result<String> {
    Ok(format!("{prefix}{}", hex(&random_bytes::<32>()?)))
}

/// A new random identifier: 8 random bytes as hex.
pub fn random_id() -> worker::Result<String> {
    Ok(hex(&random_bytes::<8>()?))
}

/// `n` random bytes.
pub fn random_bytes<const N: usize>() -> worker::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    get_random_values(&mut bytes)?;
    Ok(bytes)
}
