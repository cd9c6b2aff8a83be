//! One page per module.

pub mod clusters;
pub mod home;
pub mod not_found;
pub mod sign_in;
pub mod unit;
pub mod units;
