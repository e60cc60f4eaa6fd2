//! [`Slot`]: a future and the place its output lands, side by side in one allocation.
//!
//! A generated call's output holds the decoded data: over a kilobyte for one tracking.
//! Returned through the futures the facade wraps around the call, it would be copied whole
//! at every layer; boxed on its own, it would cost a second large allocation per call. A
//! slot on the heap holds both the future and its output: the layers around it pass `()`,
//! and the output is taken out at most once, by [`Slot::take`], or dropped in place.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

pin_project_lite::pin_project! {
    /// A future whose output is kept in place rather than returned.
    #[derive(Debug)]
    pub(crate) struct Slot<F: Future> {
        #[pin]
        future: F,
        output: Option<F::Output>,
        done: bool,
    }
}

impl<F: Future> Slot<F> {
    pub(crate) fn new(future: F) -> Slot<F> {
        Slot { future, output: None, done: false }
    }

    /// The output, once the slot has completed; `None` before, and after a first `take`.
    pub(crate) fn take(self: Pin<&mut Self>) -> Option<F::Output> {
        self.project().output.take()
    }
}

impl<F: Future> Future for Slot<F> {
    type Output = ();

    /// Ready once the inner future has completed; it is not polled again after that.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        if !*this.done {
            *this.output = Some(ready!(this.future.poll(cx)));
            *this.done = true;
        }
        Poll::Ready(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_output_is_kept_until_taken_once() {
        let mut slot = Box::pin(Slot::new(async { [7u8; 2048] }));
        assert_eq!(slot.as_mut().take(), None, "nothing before it has run");
        slot.as_mut().await;
        // Polled again after completion, it stays ready without polling the future.
        slot.as_mut().await;
        assert_eq!(slot.as_mut().take().map(|bytes| bytes[2047]), Some(7));
        assert_eq!(slot.as_mut().take(), None, "the output is taken once");
        slot.as_mut().await;
        assert_eq!(slot.as_mut().take(), None, "and the future does not run again");
    }
}
