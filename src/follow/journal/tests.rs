//! Journal tests.
