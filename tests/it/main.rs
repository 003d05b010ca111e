//! The integration tests: one binary, one module per area, sharing `util`.

mod net;
mod util;
mod verify;
mod verify_xapi;
