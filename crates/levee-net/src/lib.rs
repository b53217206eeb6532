//! Network evidence for Levee: read captures, follow flows, identify and decode industrial
//! protocols, inventory the assets and check what the network does against the declared zones
//! and conduits.
//!
//! Pure: no file or network access. The caller opens a capture and hands a [`std::io::Read`] to
//! [`CaptureReader`], then feeds every packet to an [`Analyzer`]:
//!
//! ```
//! use levee_net::{Analyzer, CaptureReader};
//!
//! // A pcap header (µs, Ethernet) and one ARP request.
//! let mut cap = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
//! let frame: Vec<u8> = [&[0xff; 6][..], &[0x00, 0x1b, 0x1b, 1, 2, 3], &[0x08, 0x06],
//!     &[0, 1, 8, 0, 6, 4, 0, 1], &[0x00, 0x1b, 0x1b, 1, 2, 3], &[10, 0, 0, 5], &[0; 6], &[10, 0, 0, 1]].concat();
//! cap.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
//! cap.extend_from_slice(&(frame.len() as u32).to_le_bytes());
//! cap.extend_from_slice(&(frame.len() as u32).to_le_bytes());
//! cap.extend_from_slice(&frame);
//!
//! let mut reader = CaptureReader::new(&cap[..])?;
//! let mut analyzer = Analyzer::default();
//! analyzer.begin_capture("arp.pcap", Some(reader.format()));
//! while let Some(p) = reader.next_packet()? {
//!     analyzer.packet(&p);
//! }
//! analyzer.end_capture(&reader.linktypes, None);
//! let obs = analyzer.finish();
//! assert_eq!(obs.captures[0].packets, 1);
//! assert_eq!(obs.hosts[0].ip.map(|ip| ip.to_string()).as_deref(), Some("10.0.0.5"));
//! assert_eq!(obs.hosts[0].vendor, Some("Siemens AG"));
//! # Ok::<(), levee_net::CaptureError>(())
//! ```

#![forbid(unsafe_code)]

pub mod analyze;
pub mod capture;
pub mod check;
pub mod decode;
pub mod fuzzing;
pub mod ident;
pub mod oui;
pub mod packet;
pub mod proto;
pub mod time;

pub use analyze::{
    Analyzer, CaptureSummary, Endpoint, FlowObs, HostKey, HostObs, Limits, Observation, OpObs, PacketRefs,
};
pub use capture::{CaptureError, CaptureReader, Format, Packet};
pub use check::{Placement, Violation, ViolationKind, check};
pub use ident::Evidence;
pub use proto::{Function, OpClass, Proto};
