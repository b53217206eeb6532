//! The one error type of the binary: a message for the user, an optional hint, exit code 2.

use std::fmt::Display;

/// A usage or input error: printed as `error: …` (plus `hint: …`), exit code 2.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub hint: Option<String>,
}

impl Failure {
    pub fn new(message: impl Display) -> Failure {
        Failure {
            message: message.to_string(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Display) -> Failure {
        self.hint = Some(hint.to_string());
        self
    }
}

/// Turns any displayable library error into a [`Failure`], with context in front.
pub trait Context<T> {
    fn context(self, what: impl Display) -> Result<T, Failure>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn context(self, what: impl Display) -> Result<T, Failure> {
        self.map_err(|e| Failure::new(format!("{what}: {e}")))
    }
}

impl From<levee_engine::EngineError> for Failure {
    fn from(e: levee_engine::EngineError) -> Failure {
        Failure {
            message: e.to_string(),
            hint: e.hint,
        }
    }
}
