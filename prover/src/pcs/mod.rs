//! Multilinear polynomial commitments: the `Pcs` trait and its Dory implementation.
