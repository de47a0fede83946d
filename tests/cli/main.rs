//! Integration tests: placeholder replaced below.
