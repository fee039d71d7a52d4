//! Where sessions live on disk: `<data dir>/sessions/<ID>.json`, written atomically (temp
//! file, fsync, rename, fsync of the directory), so a crash, `kill -9` or a full disk leaves
//! either the old file or the new one, never half of one. A file connfix cannot read is
//! reported and left exactly as it is.
//!
//! Everything connfix writes for itself (sessions, their locks, reports under the data
//! directory, and through [`open_own`] the log and the recent targets) is private: files
//! 0600, connfix's directories 0700, tightened when an older connfix left them looser. A
//! symbolic link, a FIFO, a hard link or another user's file where connfix expects its own
//! is refused with a [`FileError`] saying so, never followed or written through.

use super::{SCHEMA_VERSION, SessionRecord};
use std::fmt;
use std::fs::{self, File, OpenOptions, Permissions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// The session store under one data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    pub root: PathBuf,
}

/// Why a session file could not be read. Each says what is wrong; none is ever "fixed" by
/// writing over the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    Missing,
    Io(String),
    Empty,
    /// Not text: binary garbage, or not UTF-8.
    NotText,
    /// The JSON stops in the middle (a copy cut short, a disk that filled).
    Truncated {
        line: usize,
        column: usize,
    },
    NotJson {
        line: usize,
        column: usize,
    },
    /// Valid JSON but not a connfix session.
    NotSession,
    /// Written by a connfix whose format this one does not read.
    Schema {
        found: u64,
    },
    /// The right version but a field is wrong or missing.
    Damaged(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Missing => f.write_str("no such session file"),
            LoadError::Io(e) => write!(f, "cannot read it: {e}"),
            LoadError::Empty => f.write_str("the file is empty"),
            LoadError::NotText => f.write_str("the file is not text (binary data)"),
            LoadError::Truncated { line, column } => write!(
                f,
                "the file is cut short (the JSON stops at line {line}, column {column})"
            ),
            LoadError::NotJson { line, column } => {
                write!(
                    f,
                    "the file is not valid JSON (at line {line}, column {column})"
                )
            }
            LoadError::NotSession => {
                f.write_str("the file is JSON but not a connfix session (no schema_version)")
            }
            LoadError::Schema { found } if *found > u64::from(SCHEMA_VERSION) => write!(
                f,
                "it was written by a newer connfix (session format {found}; this one reads {SCHEMA_VERSION}); upgrade connfix to open it"
            ),
            LoadError::Schema { found } => write!(
                f,
                "it uses session format {found}, which this connfix does not read (it reads {SCHEMA_VERSION})"
            ),
            LoadError::Damaged(e) => write!(f, "the file is damaged: {e}"),
        }
    }
}

/// Why connfix could not create, open or write one of its files, named for the real cause
/// (not the errno of whatever step happened to fail last) and with what to do about it.
/// Each is one line and starts with the path it is about.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{}: read-only file system; remount it read-write or use another directory", .path.display())]
    ReadOnly { path: PathBuf },
    #[error("{}: the disk is full (No space left on device); free some space and try again", .path.display())]
    DiskFull { path: PathBuf },
    #[error("{}: permission denied; make it writable for your user or use another directory", .path.display())]
    PermissionDenied { path: PathBuf },
    #[error("{}: not found (no such file or directory); check the path or use another directory", .path.display())]
    NotFound { path: PathBuf },
    #[error("{}: Not a directory (a file stands where a directory should be); move that file away or use another directory", .path.display())]
    NotADirectory { path: PathBuf },
    #[error("{} is a symbolic link (to {}), and connfix does not follow links for its own files; remove it (rm '{}') and try again", .path.display(), .target.display(), .path.display())]
    Symlink { path: PathBuf, target: PathBuf },
    #[error("{} is {kind}, not a regular file; remove it (it is not connfix's) and try again", .path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{} belongs to uid {owner}, not to you (uid {me}); remove it (it is not connfix's) and try again", .path.display())]
    NotOwned { path: PathBuf, owner: u32, me: u32 },
    #[error("{} has {links} names (hard links), so writing it would change another file too; remove it and try again", .path.display())]
    HardLinked { path: PathBuf, links: u64 },
    #[error("{}: {source}", .path.display())]
    Other { path: PathBuf, source: io::Error },
}

impl FileError {
    /// Names what went wrong with `path` from the OS error.
    pub fn from_io(path: &Path, e: io::Error) -> FileError {
        let path = path.to_path_buf();
        match e.raw_os_error() {
            Some(libc::EROFS) => FileError::ReadOnly { path },
            Some(libc::ENOSPC) => FileError::DiskFull { path },
            Some(libc::EACCES | libc::EPERM) => FileError::PermissionDenied { path },
            Some(libc::ENOENT) => FileError::NotFound { path },
            Some(libc::ENOTDIR) => FileError::NotADirectory { path },
            // O_NOFOLLOW met a link (ELOOP), or the open met something that is no file.
            Some(libc::ELOOP | libc::EISDIR | libc::ENXIO) => match fs::symlink_metadata(&path) {
                Ok(m) => check_own(&path, &m)
                    .err()
                    .unwrap_or(FileError::Other { path, source: e }),
                Err(_) => FileError::Other { path, source: e },
            },
            _ => FileError::Other { path, source: e },
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            FileError::ReadOnly { path }
            | FileError::DiskFull { path }
            | FileError::PermissionDenied { path }
            | FileError::NotFound { path }
            | FileError::NotADirectory { path }
            | FileError::Symlink { path, .. }
            | FileError::NotRegular { path, .. }
            | FileError::NotOwned { path, .. }
            | FileError::HardLinked { path, .. }
            | FileError::Other { path, .. } => path,
        }
    }
}

impl From<FileError> for String {
    fn from(e: FileError) -> String {
        e.to_string()
    }
}

/// Why a session could not be locked for writing.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("session {id} is open in another connfix{}; close that one first", .pid.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Held { id: String, pid: Option<u32> },
    #[error("cannot save session {id}: {source}")]
    File { id: String, source: FileError },
}

/// No home directory, so no data directory for sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no home directory, so no place for sessions; set HOME or XDG_DATA_HOME")]
pub struct NoHome;

/// One entry of `report list`: a readable session, or the reason it is not.
#[derive(Debug)]
pub struct Listed {
    pub id: String,
    pub path: PathBuf,
    pub record: Result<SessionRecord, LoadError>,
}

/// Holds a session open for writing: a second connfix cannot resume it meanwhile.
/// The lock goes with the process, so after a crash or `kill -9` the session is free.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    /// `$XDG_DATA_HOME/connfix` (usually `~/.local/share/connfix`).
    pub fn default_root() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "connfix").map(|d| d.data_dir().to_path_buf())
    }

    pub fn open_default() -> Result<Store, NoHome> {
        Store::default_root().map(Store::new).ok_or(NoHome)
    }

    pub fn sessions_dir(&self) -> PathBuf {
        self.root.join("sessions")
    }

    pub fn reports_dir(&self) -> PathBuf {
        self.root.join("reports")
    }

    pub fn path_of(&self, id: &str) -> PathBuf {
        self.sessions_dir().join(format!("{id}.json"))
    }

    /// Writes the session atomically; returns where it went.
    pub fn save(&self, rec: &SessionRecord) -> Result<PathBuf, FileError> {
        let path = self.path_of(&rec.id);
        private_dir_in(Some(&self.root), &self.sessions_dir())?;
        save_to(&path, rec)?;
        Ok(path)
    }

    pub fn load(&self, id: &str) -> Result<SessionRecord, LoadError> {
        read_record(&self.path_of(id))
    }

    /// Every session file, newest first, readable or not.
    pub fn list(&self) -> Result<Vec<Listed>, FindError> {
        let dir = self.sessions_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(FindError::Unreadable { dir, source }),
        };
        let mut out: Vec<Listed> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|path| {
                let id = path.file_stem()?.to_str()?.to_string();
                (!id.starts_with('.')).then(|| Listed {
                    record: read_record(&path),
                    id,
                    path,
                })
            })
            .collect();
        out.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(out)
    }

    /// A session named on the command line: the path of a session file (anything with a
    /// `/` or ending in `.json`), or an id as [`Store::resolve`] takes it.
    pub fn locate(&self, arg: Option<&str>) -> Result<PathBuf, FindError> {
        if let Some(a) = arg.filter(|a| a.contains('/') || a.ends_with(".json")) {
            let p = PathBuf::from(a);
            return if p.is_file() {
                Ok(p)
            } else {
                Err(FindError::NoFile(a.to_string()))
            };
        }
        Ok(self.path_of(&self.resolve(arg)?))
    }

    /// Finds a session from what the person typed: `last` (or nothing) for the newest
    /// readable one, a full id, or the start of one when only one id starts that way.
    pub fn resolve(&self, query: Option<&str>) -> Result<String, FindError> {
        let all = self.list()?;
        let q = query.map(str::trim).unwrap_or("last");
        if all.is_empty() {
            return Err(FindError::NoneSaved(self.sessions_dir()));
        }
        if q == "last" || q.is_empty() {
            // The one touched last: a resumed older session counts from when it was saved.
            return (all.iter())
                .filter_map(|l| l.record.as_ref().ok().map(|r| (r.updated_at.as_str(), l)))
                .max_by(|a, b| a.0.cmp(b.0))
                .map(|(_, l)| l.id.clone())
                .ok_or(FindError::NoneReadable);
        }
        if let Some(l) = all.iter().find(|l| l.id == q) {
            return Ok(l.id.clone());
        }
        let matching: Vec<&Listed> = all.iter().filter(|l| l.id.starts_with(q)).collect();
        match matching.as_slice() {
            [one] => Ok(one.id.clone()),
            [] => Err(FindError::NoSuchId(q.to_string())),
            many => Err(FindError::Ambiguous {
                query: q.to_string(),
                count: many.len(),
                first: many[0].id.clone(),
            }),
        }
    }
}

/// A session that could not be found from what the person typed.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("cannot read {}: {source}", dir.display())]
    Unreadable { dir: PathBuf, source: io::Error },
    #[error(
        "{0}: no such session file; give an id from `connfix report list` or the path of a .json session"
    )]
    NoFile(String),
    #[error(
        "no saved sessions in {}; a session is saved by the TUI as you go, or by `connfix check TARGET --save`",
        .0.display()
    )]
    NoneSaved(PathBuf),
    #[error("no readable session left; `connfix report list` shows what is wrong with each")]
    NoneReadable,
    #[error("no session '{0}'; `connfix report list` shows the ids (or use `last`)")]
    NoSuchId(String),
    #[error("'{query}' matches {count} sessions ({first}, ...); give more of the id")]
    Ambiguous {
        query: String,
        count: usize,
        first: String,
    },
}

/// Writes a session to `path` atomically.
pub fn save_to(path: &Path, rec: &SessionRecord) -> Result<(), FileError> {
    let json = serde_json::to_vec_pretty(rec).map_err(|e| FileError::Other {
        path: path.to_path_buf(),
        source: io::Error::other(format!("cannot encode the session: {e}")),
    })?;
    write_atomic(path, &json)
}

/// Takes the lock of the session saved at `path` (a `.lock` file beside it), or says who
/// holds it. A new lock file is created with `O_EXCL`; one left by an earlier connfix is
/// taken over only when it is a regular file of this user with one name (never through a
/// symbolic link), and made private again.
pub fn lock(path: &Path) -> Result<Lock, LockError> {
    // Appended, not replacing the extension: a file named x.lock must never be its own lock.
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock_path = PathBuf::from(lock_path);
    let id = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let fail = |source| LockError::File {
        id: id.clone(),
        source,
    };
    if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_dir(dir).map_err(fail)?;
    }
    let mut file = open_own(&lock_path, Access::ReadWrite).map_err(fail)?;
    // SAFETY: flock on a file descriptor we own; it does not touch memory.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc != 0 {
        // Read through the descriptor that was checked, not the path again; only a number
        // is shown, whatever the file holds.
        let mut holder = String::new();
        let _ = (&file).take(64).read_to_string(&mut holder);
        return Err(LockError::Held {
            id,
            pid: holder.trim().parse().ok(),
        });
    }
    // The pid is for the message above; a full disk must not stop the session for it.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
    Ok(Lock { _file: file })
}

/// How [`open_own`] opens a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reading only; a missing file is [`FileError::NotFound`].
    Read,
    /// Appending, created when missing (the log).
    Append,
    /// Reading and writing, created when missing (a lock).
    ReadWrite,
}

/// Opens one of connfix's own files without ever following a symbolic link at `path`
/// (`O_NOFOLLOW`), and only when it is a regular file of this user with a single name, so
/// what is written cannot land in another file. A missing file is created with
/// `O_CREAT|O_EXCL`, mode 0600; an existing one is made 0600 (an older connfix left 0644).
pub fn open_own(path: &Path, access: Access) -> Result<File, FileError> {
    let err = |e| FileError::from_io(path, e);
    let mut existing = OpenOptions::new();
    existing
        .read(access != Access::Append)
        .write(access == Access::ReadWrite)
        .append(access == Access::Append)
        // Nothing blocks if a FIFO slips in between the look and the open.
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let mut new = existing.clone();
    new.create_new(true).mode(0o600);
    // A file that comes and goes meanwhile is looked at again, a few times.
    for _ in 0..4 {
        // Looked at first, so a FIFO or a device is never even opened.
        let before = match fs::symlink_metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && access != Access::Read => None,
            Err(e) => return Err(err(e)),
            Ok(m) => {
                check_own(path, &m)?;
                Some(m)
            }
        };
        let file = match (
            &before,
            (if before.is_some() { &existing } else { &new }).open(path),
        ) {
            (_, Ok(f)) => f,
            (None, Err(e)) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            (Some(_), Err(e)) if e.kind() == io::ErrorKind::NotFound => continue,
            (_, Err(e)) => return Err(err(e)),
        };
        let now = file.metadata().map_err(err)?;
        if let Some(m) = &before {
            check_own(path, &now)?;
            if (m.dev(), m.ino()) != (now.dev(), now.ino()) {
                continue;
            }
        }
        if now.mode() & 0o7777 != 0o600 {
            // fchmod on what was opened; a read-only file system keeps what it has.
            match file.set_permissions(Permissions::from_mode(0o600)) {
                Err(e) if e.raw_os_error() != Some(libc::EROFS) => return Err(err(e)),
                _ => {}
            }
        }
        return Ok(file);
    }
    Err(FileError::Other {
        path: path.to_path_buf(),
        source: io::Error::other("it kept changing while connfix opened it; try again"),
    })
}

/// Refuses anything at `path` that is not connfix's own plain file.
fn check_own(path: &Path, m: &fs::Metadata) -> Result<(), FileError> {
    let path = path.to_path_buf();
    let t = m.file_type();
    if t.is_symlink() {
        let target = fs::read_link(&path).unwrap_or_default();
        return Err(FileError::Symlink { path, target });
    }
    if !t.is_file() {
        use std::os::unix::fs::FileTypeExt;
        let kind = if t.is_dir() {
            "a directory"
        } else if t.is_fifo() {
            "a FIFO"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else {
            "something else"
        };
        return Err(FileError::NotRegular { path, kind });
    }
    let me = euid();
    if m.uid() != me {
        return Err(FileError::NotOwned {
            path,
            owner: m.uid(),
            me,
        });
    }
    if m.nlink() > 1 {
        return Err(FileError::HardLinked {
            path,
            links: m.nlink(),
        });
    }
    Ok(())
}

fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// connfix's state directory (`~/.local/state/connfix`, or the cache directory where the
/// platform has none). Defined here, not in `log`, because the store makes it private and
/// the log writes through the store.
pub fn state_root() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "connfix")?;
    Some(dirs.state_dir().unwrap_or(dirs.cache_dir()).to_path_buf())
}

/// connfix's own top directories: the data directory and the state directory. Everything
/// under them is connfix's, so it may be made private.
fn own_roots() -> Vec<PathBuf> {
    [Store::default_root(), state_root()]
        .into_iter()
        .flatten()
        .collect()
}

/// Creates `dir` (and what is missing above it) with mode 0700. When it is one of connfix's
/// own directories (under the data or the state directory), every directory from that root
/// down to `dir` is made 0700, also if it existed with a looser mode. Other directories (a
/// `-o FILE` elsewhere, a directory chosen after a failure) are created but not changed.
pub fn private_dir(dir: &Path) -> Result<(), FileError> {
    let root = own_roots().into_iter().find(|r| dir.starts_with(r));
    private_dir_in(root.as_deref(), dir)
}

/// [`private_dir`] with connfix's root given.
fn private_dir_in(root: Option<&Path>, dir: &Path) -> Result<(), FileError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| FileError::from_io(dir, e))?;
    let Some(root) = root.filter(|r| dir.starts_with(r)) else {
        return Ok(());
    };
    let me = euid();
    for d in dir.ancestors().take_while(|a| a.starts_with(root)) {
        // Only what this user owns; a failure to tighten (a read-only mount) shows up at
        // the write that follows, with its real cause.
        if let Ok(m) = fs::metadata(d)
            && m.is_dir()
            && m.uid() == me
            && m.mode() & 0o077 != 0
        {
            let _ = fs::set_permissions(d, Permissions::from_mode(0o700));
        }
    }
    Ok(())
}

/// Far above any real session (a long one is a few hundred KiB).
const MAX_SESSION_BYTES: u64 = 64 << 20;

/// Reads and checks one session file.
pub fn read_record(path: &Path) -> Result<SessionRecord, LoadError> {
    // A pipe or a huge file in the sessions folder must not hang or swamp `report list`.
    match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(LoadError::Missing),
        Err(e) => return Err(LoadError::Io(e.to_string())),
        Ok(m) if !m.is_file() => return Err(LoadError::Io("not a regular file".into())),
        Ok(m) if m.len() > MAX_SESSION_BYTES => {
            return Err(LoadError::Io(format!(
                "{} MiB is more than a session can be ({} MiB at most)",
                m.len() >> 20,
                MAX_SESSION_BYTES >> 20
            )));
        }
        Ok(_) => {}
    }
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(LoadError::Missing),
        Err(e) => return Err(LoadError::Io(e.to_string())),
    };
    parse_record(&bytes)
}

pub fn parse_record(bytes: &[u8]) -> Result<SessionRecord, LoadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(LoadError::Empty);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(LoadError::NotText);
    };
    if text.contains('\0') {
        return Err(LoadError::NotText);
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        if e.is_eof() {
            LoadError::Truncated { line, column }
        } else {
            LoadError::NotJson { line, column }
        }
    })?;
    let Some(version) = value.get("schema_version") else {
        return Err(LoadError::NotSession);
    };
    match version.as_u64() {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(found) => return Err(LoadError::Schema { found }),
        None => return Err(LoadError::NotSession),
    }
    let rec: SessionRecord =
        serde_json::from_value(value).map_err(|e| LoadError::Damaged(e.to_string()))?;
    // Each probe's data must read back too, or resuming would fail later.
    for run in &rec.probe_runs {
        run.report()
            .map_err(|e| LoadError::Damaged(e.to_string()))?;
    }
    Ok(rec)
}

/// Writes `bytes` to `path` so that readers see the old file or the new one, never a mix,
/// even across a crash: a temp file beside it (created with `O_EXCL`, mode 0600), fsync,
/// rename over, fsync the directory. A symbolic link at `path` is replaced, not followed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    private_dir(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let mut created = false;
    let result = (|| {
        // Creating the file is where a read-only or unwritable directory shows.
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)
            .map_err(|e| FileError::from_io(dir, e))?;
        created = true;
        let on_file = |e| FileError::from_io(path, e);
        // Exactly 0600, whatever the umask.
        f.set_permissions(Permissions::from_mode(0o600))
            .map_err(on_file)?;
        f.write_all(bytes).map_err(on_file)?;
        f.sync_all().map_err(on_file)?;
        fs::rename(&tmp, path).map_err(on_file)?;
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| FileError::from_io(dir, e))
    })();
    if result.is_err() && created {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A fresh session id, `YYYYMMDD-HHMMSS-xxxxxx`: sorts by time, and the random part keeps
/// two sessions started in the same second apart (the lock catches the rest).
pub fn new_id() -> String {
    let stamp = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
    format!("{}-{}-{:06x}", &digits[..8], &digits[8..14], random24())
}

fn random24() -> u32 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    (h.finish() & 0xff_ffff) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionKind;

    fn sample(id: &str) -> SessionRecord {
        let mut r = SessionRecord::new(
            id.into(),
            SessionKind::Diagnosis,
            "2026-11-21T10:00:00.000Z".into(),
        );
        r.notes.push(crate::session::Note {
            at: "2026-11-21T10:01:00.000Z".into(),
            text: "restarted the pod".into(),
            about: None,
        });
        r
    }

    #[test]
    fn save_load_round_trip_and_ids_are_unique() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let a = new_id();
        let b = new_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), "20261121-143005-abcdef".len(), "{a}");
        store.save(&sample(&a)).unwrap();
        let back = store.load(&a).unwrap();
        assert_eq!(back.notes, sample(&a).notes);
        assert_eq!(store.resolve(None).unwrap(), a);
        assert_eq!(store.resolve(Some(&a[..19])).unwrap(), a);
        // No temp files are left behind.
        let names: Vec<String> = fs::read_dir(store.sessions_dir())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn bad_files_are_named_for_what_is_wrong() {
        let ok = serde_json::to_string(&sample("x")).unwrap();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (Vec::new(), "empty"),
            (b"  \n".to_vec(), "empty"),
            (ok.as_bytes()[..ok.len() / 2].to_vec(), "cut short"),
            (vec![0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff], "not text"),
            (b"{\"a\": 1}".to_vec(), "not a connfix session"),
            (b"hello".to_vec(), "not valid JSON"),
            (
                ok.replace("\"schema_version\":1", "\"schema_version\":9")
                    .into_bytes(),
                "newer connfix",
            ),
            (
                ok.replace("\"kind\":\"diagnosis\"", "\"kind\":\"party\"")
                    .into_bytes(),
                "damaged",
            ),
        ];
        for (bytes, want) in cases {
            let e = parse_record(&bytes).unwrap_err().to_string();
            assert!(e.contains(want), "{want}: got {e}");
        }
    }

    #[test]
    fn a_held_lock_names_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let first = lock(&store.path_of("abc")).unwrap();
        let e = lock(&store.path_of("abc")).unwrap_err().to_string();
        assert!(e.contains("session abc is open in another connfix"), "{e}");
        assert!(e.contains(&std::process::id().to_string()), "{e}");
        drop(first);
        lock(&store.path_of("abc")).unwrap();
    }
}
