//! The integration tests: one binary, one module per area, sharing `util`.

mod handles;
mod net;
mod util;
