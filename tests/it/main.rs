//! The integration tests: one binary, one module per area, sharing `util`.

mod archive;
mod fake_crash;
mod fake_relations;
mod fedi_client;
mod fedi_fixtures;
mod fedi_limits;
mod fedi_support;
mod find;
mod find_relation;
mod follow;
mod follow_crash;
mod fuzz_regressions;
mod handles;
mod hostile_archives;
mod hostile_servers;
mod login;
mod net;
mod post;
mod post_audit;
mod post_crash;
mod post_send;
mod reverse;
mod util;
mod verify;
mod verify_xapi;
