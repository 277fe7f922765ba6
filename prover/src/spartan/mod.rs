//! Spartan (Setty 2019) for uniform R1CS: one small constraint set repeated every cycle.
