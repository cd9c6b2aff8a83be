//! Evidence files over plain routes (`server/src/files.rs` wires them): a
//! unit's reporter uploads, in chunks; a file is read by the people of a
//! unit that sent it and by the staff of an organisation that contains such
//! a unit. Everyone else, and a hash that names nothing, gets the same
//! denial. Bytes and records are `store::files`'.

use crate::api::fail;
use crate::domain::attachment::{FileKind, UploadState};
use crate::domain::auth::{Account, Role};
use crate::domain::AppError;
use crate::store::files::{self, Blobs, Chunk, Sender};
use crate::store::Db;

/// The month (Vietnam time) an upload counts against the unit's quota.
fn month_now() -> String {
    let d = crate::domain::date::vn_date(time::OffsetDateTime::now_utc());
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

fn reporter(me: &Account) -> Result<(), AppError> {
    if me.role == Role::UnitReporter {
        Ok(())
    } else {
        Err(AppError::denied())
    }
}

/// Where the reporter's unit's upload of `hash` stands.
pub async fn state(db: &Db, blobs: &Blobs, me: &Account, hash: &str, name: &str, total: u64) -> Result<UploadState, AppError> {
    reporter(me)?;
    let month = month_now();
    let who = Sender { unit: &me.unit, account: &me.username, month: &month };
    files::state(db, blobs, &who, hash, name, total).await.map_err(fail)
}

/// One chunk of the reporter's unit's upload of `hash`.
pub async fn chunk(db: &Db, blobs: &Blobs, me: &Account, hash: &str, chunk: Chunk<'_>) -> Result<UploadState, AppError> {
    reporter(me)?;
    let month = month_now();
    let who = Sender { unit: &me.unit, account: &me.username, month: &month };
    files::put_chunk(db, blobs, &who, hash, chunk).await.map_err(fail)
}

/// The file's kind, if `me` may read it; the denial otherwise (also for a
/// file that does not exist, so a probe learns nothing).
pub async fn readable(db: &Db, me: &Account, hash: &str) -> Result<FileKind, AppError> {
    let Some((kind, units)) = files::holders(db, hash).await.map_err(fail)? else { return Err(AppError::denied()) };
    let may = match me.role {
        Role::UnitReporter | Role::ClusterHead => units.contains(&me.unit),
        _ => {
            let mut any = false;
            for u in &units {
                if crate::api::scope::contains(db, me, u).await.map_err(fail)? {
                    any = true;
                    break;
                }
            }
            any
        }
    };
    if may {
        Ok(kind)
    } else {
        Err(AppError::denied())
    }
}
