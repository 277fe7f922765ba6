//! Uniform rank-1 constraint systems: linear combinations over a row and the next row.
