//! Stories in the editor's inbox and on the public showcase.

use crate::domain::story::StoryBody;
use serde::{Deserialize, Serialize};

/// A story a unit sent, in the editor's inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: String,
    pub unit_name: String,
    pub area_title: String,
    pub body: StoryBody,
    pub published: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub id: String,
    pub title: String,
    pub text: String,
    pub unit: String,
    pub unit_name: String,
    pub area: String,
    pub area_title: String,
    pub published_at: String,
}
