//! A server killed while writing can leave a torn record at the end of
//! SurrealKV's write-ahead log. What the next server writes must survive the
//! next kill: before `vendor/surrealkv` (see its PATCHED.md) the writes of the
//! whole second lifetime were lost, because recovery either repaired the
//! segment into a new file while the log writer kept the old, unlinked one,
//! or left the torn bytes in place and appended after them, so the following
//! recovery stopped at the torn record.
//!
//! Each lifetime is this test binary run again as a child (`child_writes`),
//! so that it can be SIGKILLed: nothing is flushed or closed cleanly.
mod common;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DIR: &str = "THIDUA_TORN_WAL_DIR";
const PREFIX: &str = "THIDUA_TORN_WAL_PREFIX";
const ROWS: usize = 40;

/// Run only as a child: writes `ROWS` rows, one transaction each, says so and
/// waits to be killed.
#[tokio::test]
async fn child_writes() {
    let (Ok(dir), Ok(prefix)) = (std::env::var(DIR), std::env::var(PREFIX)) else { return };
    let db = common::kv_db(Path::new(&dir)).await;
    for i in 0..ROWS {
        db.query("CREATE probe SET lifetime = $lifetime, n = $n")
            .bind(("lifetime", prefix.clone()))
            .bind(("n", i as i64))
            .await
            .unwrap()
            .check()
            .unwrap();
    }
    // A write transaction that waits for the grouped fsync covering them all.
    db.query("BEGIN TRANSACTION; COMMIT TRANSACTION;").await.unwrap().check().unwrap();
    println!("written");
    std::io::stdout().flush().unwrap();
    tokio::time::sleep(std::time::Duration::from_secs(600)).await;
}

/// One server lifetime writing rows `prefix000…`, then SIGKILLed.
fn lifetime(dir: &Path, prefix: &str) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["child_writes", "--exact", "--nocapture", "--test-threads=1"])
        .env(DIR, dir)
        .env(PREFIX, prefix)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let mut written = false;
    for line in out.lines() {
        if line.unwrap().contains("written") {
            written = true;
            break;
        }
    }
    Command::new("kill").arg("-KILL").arg(child.id().to_string()).status().unwrap();
    child.wait().unwrap();
    assert!(written, "the {prefix} lifetime did not finish its writes");
}

/// The newest WAL segment of the store (the one the next server appends to).
fn last_segment(dir: &Path) -> PathBuf {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "wal") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, &mut found);
    found.sort();
    found.pop().expect("a WAL segment")
}

/// How many rows each lifetime left, read by a third server.
async fn rows(dir: &Path) -> (usize, usize) {
    let db = common::kv_db(dir).await;
    let mut counts = [0; 2];
    for (i, lifetime) in ["first", "second"].into_iter().enumerate() {
        let mut r = db
            .query("RETURN (SELECT count() AS n FROM probe WHERE lifetime = $lifetime GROUP ALL)[0].n ?? 0")
            .bind(("lifetime", lifetime))
            .await
            .unwrap();
        let n: Option<i64> = r.take(0).unwrap();
        counts[i] = n.unwrap_or(0) as usize;
    }
    (counts[0], counts[1])
}

async fn second_lifetime_survives(tear: impl Fn(&Path)) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    lifetime(&store, "first");
    tear(&last_segment(&store));
    lifetime(&store, "second");
    let (first, second) = rows(&store).await;
    assert_eq!(second, ROWS, "the second lifetime's acknowledged writes were lost");
    // The torn record was the first lifetime's last write at most.
    assert!(first >= ROWS - 1, "the first lifetime kept {first} rows");
}

#[tokio::test]
async fn writes_after_a_record_cut_short_survive_the_next_kill() {
    second_lifetime_survives(|wal| {
        let len = std::fs::metadata(wal).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(wal).unwrap().set_len(len - 5).unwrap();
    })
    .await;
}

#[tokio::test]
async fn writes_after_a_torn_header_survive_the_next_kill() {
    second_lifetime_survives(|wal| {
        std::fs::OpenOptions::new().append(true).open(wal).unwrap().write_all(&[0xab, 0xcd, 0xef]).unwrap();
    })
    .await;
}

#[tokio::test]
async fn writes_after_a_kill_between_records_survive_the_next_kill() {
    second_lifetime_survives(|_| {}).await;
}
