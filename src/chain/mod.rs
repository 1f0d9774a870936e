//! What the chain holds: the tracker's commitment box and the Sigma constants in its registers.

mod register_error;

pub use register_error::RegisterError;
