//! How the sandbox accepts connections and which it keeps: at most `MAX_CONNECTIONS` are served at once, and when
//! a new one comes at the cap the connection idle longest (no request in progress) is closed to make way for it.
//! A page the user visits during `make demo`, or a stuck client, can open thousands of connections and send
//! nothing; a plain cap would leave the planner page waiting behind them until their header timeouts. Closing an
//! idle keep-alive connection is ordinary for an HTTP server (RFC 9112 §9.5: "A client, server, or proxy MAY close
//! the transport connection at any time"), and clients open a new one.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::sleep;

/// Connections served at once. A browser opens about six per origin; the rest is room for tests and tools.
pub const MAX_CONNECTIONS: usize = 256;

struct Entry {
    /// Requests in progress (HTTP/1.1 serves one at a time; a count keeps the guard simple).
    busy: u32,
    /// When the connection last finished a request, or was accepted: a tick of the table's own clock.
    last_active: u64,
    /// Chosen to make way; no longer counted against the cap.
    evicting: bool,
    evict: Arc<Notify>,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    clock: u64,
    open: HashMap<u64, Entry>,
}

/// The open connections. A poisoned lock is taken over: the table stays consistent between statements.
#[derive(Default)]
struct Table {
    inner: Mutex<Inner>,
    /// Told whenever a connection closes or finishes a request, so a waiting accept can try again.
    freed: Notify,
}

impl Table {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A slot for a new connection: below the cap at once; at the cap by closing the connection idle longest;
    /// none while every connection has a request in progress.
    fn try_admit(self: &Arc<Self>) -> Option<Arc<Slot>> {
        let mut inner = self.lock();
        let counted = inner.open.values().filter(|e| !e.evicting).count();
        if counted >= MAX_CONNECTIONS {
            let idle = inner.open.values_mut().filter(|e| !e.evicting && e.busy == 0);
            let oldest = idle.min_by_key(|e| e.last_active)?;
            oldest.evicting = true;
            // A permit is stored if the connection's task is not waiting yet.
            oldest.evict.notify_one();
        }
        let (id, evict) = (inner.next_id, Arc::new(Notify::new()));
        inner.next_id += 1;
        inner.clock += 1;
        let last_active = inner.clock;
        inner.open.insert(id, Entry { busy: 0, last_active, evicting: false, evict: evict.clone() });
        Some(Arc::new(Slot { id, table: self.clone(), evict }))
    }

    async fn admit(self: &Arc<Self>) -> Arc<Slot> {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            // Registered before looking, so a connection freed in between still wakes us.
            freed.as_mut().enable();
            if let Some(slot) = self.try_admit() {
                return slot;
            }
            freed.await;
        }
    }
}

/// A connection's place in the table, released when the last holder (its task and its service) lets go.
pub struct Slot {
    id: u64,
    table: Arc<Table>,
    evict: Arc<Notify>,
}

impl Slot {
    /// Marks a request in progress until the guard drops: a busy connection is never closed to make way.
    pub fn busy(self: &Arc<Self>) -> Busy {
        if let Some(e) = self.table.lock().open.get_mut(&self.id) {
            e.busy += 1;
        }
        Busy(self.clone())
    }

    pub fn is_busy(&self) -> bool {
        self.table.lock().open.get(&self.id).is_some_and(|e| e.busy > 0)
    }

    /// Resolves once this connection has been chosen to make way for a new one.
    pub async fn evicted(&self) {
        self.evict.notified().await;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.table.lock().open.remove(&self.id);
        self.table.freed.notify_waiters();
    }
}

pub struct Busy(Arc<Slot>);

impl Drop for Busy {
    fn drop(&mut self) {
        let mut inner = self.0.table.lock();
        inner.clock += 1;
        let now = inner.clock;
        if let Some(e) = inner.open.get_mut(&self.0.id) {
            e.busy = e.busy.saturating_sub(1);
            e.last_active = now;
        }
        drop(inner);
        self.0.table.freed.notify_waiters();
    }
}

/// Accepts connections for ever and hands each to `serve` with its slot. At the cap with every connection busy,
/// the accepted one waits for a slot and later clients wait in the listen backlog. An accept error (EMFILE when
/// file descriptors run out, ECONNABORTED…) backs off from 10 ms up to 1 s instead of retrying at once: the
/// pending connection stays in the backlog, so an immediate retry fails again and spins a core.
pub async fn accept_loop<F, Fut>(listener: TcpListener, serve: F)
where
    F: Fn(TcpStream, Arc<Slot>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let table = Arc::new(Table::default());
    let mut backoff = Duration::ZERO;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                backoff = Duration::ZERO;
                let slot = table.admit().await;
                tokio::spawn(serve(stream, slot));
            }
            Err(e) => {
                if backoff.is_zero() {
                    eprintln!("lucs-sandbox: accept failed ({e}); backing off");
                }
                backoff = (backoff * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
                sleep(backoff).await;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // A test fails by panicking.
mod tests {
    use super::*;

    fn is_open(table: &Table, slot: &Slot) -> bool {
        table.lock().open.get(&slot.id).is_some_and(|e| !e.evicting)
    }

    #[test]
    fn at_the_cap_the_connection_idle_longest_makes_way_and_a_busy_one_never_does() {
        let table = Arc::new(Table::default());
        let slots: Vec<Arc<Slot>> = (0..MAX_CONNECTIONS).map(|_| table.try_admit().unwrap()).collect();
        // The first connection finishes a request now: it is the most recently active, the second the oldest.
        drop(slots[0].busy());
        let _third_busy = slots[2].busy();
        let newcomer = table.try_admit().unwrap();
        assert!(!is_open(&table, &slots[1]), "the oldest idle one was chosen");
        assert!(is_open(&table, &slots[0]) && is_open(&table, &slots[2]) && is_open(&table, &newcomer));
        let _others_busy: Vec<Busy> = slots.iter().skip(3).map(|s| s.busy()).collect();
        let _newcomer_busy = newcomer.busy();
        let next = table.try_admit().unwrap();
        assert!(!is_open(&table, &slots[0]), "then the next idle one");
        let _next_busy = next.busy();
        assert!(table.try_admit().is_none(), "all busy: the new connection waits");
    }
}
