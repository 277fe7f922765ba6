//! LogUp-GKR: a GKR proof of a sum of fractions (Papini–Haböck 2023).
