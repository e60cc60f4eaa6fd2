//! Resident memory from `/proc/<pid>/status` (Linux only; `None` elsewhere).

/// A `kB` field of `/proc/<pid>/status` (`VmRSS`, `VmHWM`, …) in bytes; `None` for the
/// current process when `pid` is `None`.
pub fn status_bytes(pid: Option<u32>, field: &str) -> Option<u64> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_owned(),
    };
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|line| line.split(':').next() == Some(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The peak resident memory of this process so far (`VmHWM`), in bytes.
pub fn peak_rss() -> Option<u64> {
    status_bytes(None, "VmHWM")
}
