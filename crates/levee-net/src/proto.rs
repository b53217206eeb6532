//! Canonical protocol names and the operation classes.

/// A protocol Levee identifies. The canonical names are what JSON output and conduit `protocols`
/// use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Proto {
    Modbus,
    Umas,
    S7comm,
    S7commPlus,
    Dnp3,
    Enip,
    Cip,
    Iec104,
    Bacnet,
    Opcua,
    ProfinetDcp,
    ProfinetRt,
    ProfinetCm,
    Mqtt,
    Mms,
    Goose,
    C37118,
    HartIp,
    Fins,
    Ads,
    Fox,
    Melsec,
    Ssh,
    Rdp,
    Telnet,
    Smb,
    Http,
    Tls,
    Dns,
    Dhcp,
    Ntp,
    Snmp,
    Ftp,
    Tftp,
    Netbios,
    Mdns,
    Arp,
    Lldp,
    Cdp,
}

/// Every protocol, in a fixed order.
pub const ALL: [Proto; 39] = [
    Proto::Modbus,
    Proto::Umas,
    Proto::S7comm,
    Proto::S7commPlus,
    Proto::Dnp3,
    Proto::Enip,
    Proto::Cip,
    Proto::Iec104,
    Proto::Bacnet,
    Proto::Opcua,
    Proto::ProfinetDcp,
    Proto::ProfinetRt,
    Proto::ProfinetCm,
    Proto::Mqtt,
    Proto::Mms,
    Proto::Goose,
    Proto::C37118,
    Proto::HartIp,
    Proto::Fins,
    Proto::Ads,
    Proto::Fox,
    Proto::Melsec,
    Proto::Ssh,
    Proto::Rdp,
    Proto::Telnet,
    Proto::Smb,
    Proto::Http,
    Proto::Tls,
    Proto::Dns,
    Proto::Dhcp,
    Proto::Ntp,
    Proto::Snmp,
    Proto::Ftp,
    Proto::Tftp,
    Proto::Netbios,
    Proto::Mdns,
    Proto::Arp,
    Proto::Lldp,
    Proto::Cdp,
];

impl Proto {
    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Proto::Modbus => "modbus",
            Proto::Umas => "umas",
            Proto::S7comm => "s7comm",
            Proto::S7commPlus => "s7comm-plus",
            Proto::Dnp3 => "dnp3",
            Proto::Enip => "enip",
            Proto::Cip => "cip",
            Proto::Iec104 => "iec104",
            Proto::Bacnet => "bacnet",
            Proto::Opcua => "opcua",
            Proto::ProfinetDcp => "profinet-dcp",
            Proto::ProfinetRt => "profinet-rt",
            Proto::ProfinetCm => "profinet-cm",
            Proto::Mqtt => "mqtt",
            Proto::Mms => "mms",
            Proto::Goose => "goose",
            Proto::C37118 => "c37.118",
            Proto::HartIp => "hart-ip",
            Proto::Fins => "fins",
            Proto::Ads => "ads",
            Proto::Fox => "fox",
            Proto::Melsec => "melsec",
            Proto::Ssh => "ssh",
            Proto::Rdp => "rdp",
            Proto::Telnet => "telnet",
            Proto::Smb => "smb",
            Proto::Http => "http",
            Proto::Tls => "tls",
            Proto::Dns => "dns",
            Proto::Dhcp => "dhcp",
            Proto::Ntp => "ntp",
            Proto::Snmp => "snmp",
            Proto::Ftp => "ftp",
            Proto::Tftp => "tftp",
            Proto::Netbios => "netbios",
            Proto::Mdns => "mdns",
            Proto::Arp => "arp",
            Proto::Lldp => "lldp",
            Proto::Cdp => "cdp",
        }
    }

    /// Reads a canonical name or an accepted alias (`modbus-tcp`, `opc-ua`, `ethernet-ip`, ...),
    /// case-insensitively.
    pub fn parse(name: &str) -> Option<Proto> {
        let n = name.trim().to_ascii_lowercase();
        let alias = match n.as_str() {
            "modbus-tcp" | "modbustcp" | "mbtcp" => Some(Proto::Modbus),
            "opc-ua" | "opc_ua" | "opcua-binary" => Some(Proto::Opcua),
            "ethernet-ip" | "ethernetip" | "ethernet/ip" | "eip" => Some(Proto::Enip),
            "s7" | "s7-comm" => Some(Proto::S7comm),
            "s7comm+" | "s7-plus" | "s7plus" => Some(Proto::S7commPlus),
            "iec-104" | "iec60870-5-104" | "iec-60870-5-104" => Some(Proto::Iec104),
            "bacnet-ip" | "bacnet/ip" => Some(Proto::Bacnet),
            "https" | "ssl" => Some(Proto::Tls),
            "c37118" | "synchrophasor" => Some(Proto::C37118),
            "hartip" => Some(Proto::HartIp),
            "omron-fins" => Some(Proto::Fins),
            "ams" | "ads-ams" | "beckhoff-ads" => Some(Proto::Ads),
            "niagara-fox" => Some(Proto::Fox),
            "slmp" | "mc-protocol" | "melsoft" => Some(Proto::Melsec),
            "iec61850-mms" => Some(Proto::Mms),
            "iec61850-goose" => Some(Proto::Goose),
            "profinet-io" => Some(Proto::ProfinetRt),
            _ => None,
        };
        alias.or_else(|| ALL.iter().copied().find(|p| p.name() == n))
    }

    /// Industrial (as opposed to IT or layer-2 discovery) protocols.
    pub fn is_ics(self) -> bool {
        matches!(
            self,
            Proto::Modbus
                | Proto::Umas
                | Proto::S7comm
                | Proto::S7commPlus
                | Proto::Dnp3
                | Proto::Enip
                | Proto::Cip
                | Proto::Iec104
                | Proto::Bacnet
                | Proto::Opcua
                | Proto::ProfinetDcp
                | Proto::ProfinetRt
                | Proto::ProfinetCm
                | Proto::Mqtt
                | Proto::Mms
                | Proto::Goose
                | Proto::C37118
                | Proto::HartIp
                | Proto::Fins
                | Proto::Ads
                | Proto::Fox
                | Proto::Melsec
        )
    }

    /// Remote-access or file-transfer protocols that carry credentials and commands in clear text.
    pub fn is_cleartext_remote_access(self) -> bool {
        matches!(self, Proto::Telnet | Proto::Ftp | Proto::Tftp)
    }
}

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum OpClass {
    Read,
    Write,
    Operate,
    ProgramDownload,
    ProgramUpload,
    ProgramDelete,
    Stop,
    Start,
    Restart,
    FirmwareUpdate,
    ConfigChange,
    TimeChange,
    FileTransfer,
    Authentication,
}

impl OpClass {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            OpClass::Read => "read",
            OpClass::Write => "write",
            OpClass::Operate => "operate",
            OpClass::ProgramDownload => "program-download",
            OpClass::ProgramUpload => "program-upload",
            OpClass::ProgramDelete => "program-delete",
            OpClass::Stop => "stop",
            OpClass::Start => "start",
            OpClass::Restart => "restart",
            OpClass::FirmwareUpdate => "firmware-update",
            OpClass::ConfigChange => "config-change",
            OpClass::TimeChange => "time-change",
            OpClass::FileTransfer => "file-transfer",
            OpClass::Authentication => "authentication",
        }
    }

    /// Operations that change what a controller runs or how: the ones `risky-operation-across-zones`
    /// reports (program changes, stop/start/restart, firmware, configuration, time).
    pub fn is_risky(self) -> bool {
        matches!(
            self,
            OpClass::ProgramDownload
                | OpClass::ProgramUpload
                | OpClass::ProgramDelete
                | OpClass::Stop
                | OpClass::Start
                | OpClass::Restart
                | OpClass::FirmwareUpdate
                | OpClass::ConfigChange
                | OpClass::TimeChange
        )
    }
}

/// A decoded function: the protocol's own name and code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Function {
    /// The protocol's name for it (`WRITE_SINGLE_REGISTER`, `PLC_STOP`, ...).
    pub name: &'static str,
    /// The code on the wire.
    pub code: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_aliases_read() {
        for p in ALL {
            assert_eq!(Proto::parse(p.name()), Some(p));
        }
        assert_eq!(Proto::parse("modbus-tcp"), Some(Proto::Modbus));
        assert_eq!(Proto::parse("OPC-UA"), Some(Proto::Opcua));
        assert_eq!(Proto::parse("ethernet-ip"), Some(Proto::Enip));
        assert_eq!(Proto::parse("gopher"), None);
    }
}
