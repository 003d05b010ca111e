//! Reading every Twitter archive layout, from a zip or an unpacked folder, as a stream.
//!
//! Never touches the network; never extracts the archive to disk.
