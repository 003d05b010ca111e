//! The integration tests: one binary, one module per area, sharing `util`.

mod archive;
mod handles;
mod net;
mod util;
mod verify;
mod verify_xapi;
