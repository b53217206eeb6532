//! The risky operations the corpus README lists, found in their files with their packets.

mod common;

use levee_net::{Observation, OpClass, Proto};

fn has(obs: &Observation, proto: Proto, class: OpClass, function: &str) -> Option<Vec<u64>> {
    obs.operations
        .iter()
        .find(|o| o.proto == proto && o.class == class && o.func.name == function)
        .map(|o| o.packets.numbers.clone())
}

#[test]
fn risky_operations_are_found_in_their_files() {
    let Some(dir) = common::corpus() else { return };
    use OpClass::*;
    // (file, protocol, class, function, first packet as tshark numbers it)
    let cases: &[(&str, Proto, OpClass, &str, u64)] = &[
        (
            "s7comm/iti_snap7_s300_stop.pcapng",
            Proto::S7comm,
            Stop,
            "PLC_STOP",
            1,
        ),
        (
            "s7comm/iti_step7_s300_stop.pcapng",
            Proto::S7comm,
            Stop,
            "PLC_STOP",
            1,
        ),
        (
            "s7comm/iti_s7comm_downloading_block_db1.pcap",
            Proto::S7comm,
            ProgramDownload,
            "REQUEST_DOWNLOAD",
            43,
        ),
        (
            "s7comm/iti_s7comm_downloading_block_db1.pcap",
            Proto::S7comm,
            ProgramDownload,
            "PI_INSERT_BLOCK",
            58,
        ),
        (
            "s7comm/iti_step7_s300_download.pcapng",
            Proto::S7comm,
            ProgramDownload,
            "PI_INSERT_BLOCK",
            93,
        ),
        (
            "s7comm/iti_s7comm_reading_setting_plc_time.pcap",
            Proto::S7comm,
            TimeChange,
            "SET_CLOCK",
            0,
        ),
        (
            "s7comm/iti_step7_s300_AuthPassword.pcapng",
            Proto::S7comm,
            Authentication,
            "PLC_PASSWORD",
            0,
        ),
        ("enip/iti_cip_stop_plc.pcap", Proto::Cip, Stop, "STOP", 1),
        ("enip/iti_cip_start_plc.pcap", Proto::Cip, Start, "START", 1),
        (
            "enip/iti_openics_EIP-SoftwareDownload.pcap",
            Proto::Cip,
            ProgramDownload,
            "CREATE",
            0,
        ),
        (
            "enip/iti_openics_EIP-SoftwareUpload.pcap",
            Proto::Cip,
            ProgramUpload,
            "UPLOAD_TRANSFER",
            0,
        ),
        (
            "enip/iti_openics_EIP-FirmwareChange.pcap",
            Proto::Cip,
            FirmwareUpdate,
            "NVS_UPDATE",
            26,
        ),
        (
            "enip/iti_openics_EIP-FirmwareChange.pcap",
            Proto::Cip,
            Restart,
            "RESET",
            10592,
        ),
        (
            "enip/iti_openics_EIP-RebootorRestart.pcap",
            Proto::Cip,
            Restart,
            "RESET",
            454,
        ),
        (
            "enip/iti_openics_EIP-ChangeTimeAttempt.pcap",
            Proto::Cip,
            TimeChange,
            "SET_TIME",
            386,
        ),
        (
            "enip/iti_openics_EIP-RemoteModeChangeAttempt.pcap",
            Proto::Cip,
            Stop,
            "STOP",
            0,
        ),
        (
            "dnp3/iti_cold_restart_and_response.pcap",
            Proto::Dnp3,
            Restart,
            "COLD_RESTART",
            4,
        ),
        (
            "dnp3/iti_warm_restart_and_response.pcap",
            Proto::Dnp3,
            Restart,
            "WARM_RESTART",
            4,
        ),
        (
            "dnp3/iti_directoperate_and_response.pcap",
            Proto::Dnp3,
            Operate,
            "DIRECT_OPERATE",
            4,
        ),
        (
            "dnp3/iti_select_operate_and_responses.pcap",
            Proto::Dnp3,
            Operate,
            "SELECT",
            4,
        ),
        (
            "dnp3/iti_select_operate_and_responses.pcap",
            Proto::Dnp3,
            Operate,
            "OPERATE",
            7,
        ),
        (
            "dnp3/iti_file_write.pcap",
            Proto::Dnp3,
            FileTransfer,
            "WRITE_FILE",
            3,
        ),
        (
            "dnp3/iti_disable_unsolicited_and_response.pcap",
            Proto::Dnp3,
            ConfigChange,
            "DISABLE_UNSOLICITED",
            0,
        ),
        (
            "profinet/iti_ChangeIPUsingDCP.pcap",
            Proto::ProfinetDcp,
            ConfigChange,
            "SET_IP",
            3,
        ),
        (
            "modbus/iti_modbus_test_data_part1.pcap",
            Proto::Modbus,
            Write,
            "WRITE_SINGLE_COIL",
            60,
        ),
        (
            "other-ics/iec61850/iti_iec61850_write.pcap",
            Proto::Mms,
            Write,
            "write",
            12,
        ),
        // tshark decodes the confirmed services as 40 (start) and 41 (stop), as Levee does.
        (
            "other-ics/iec61850/iti_mms-stopRequest.pcap",
            Proto::Mms,
            Stop,
            "stop",
            16,
        ),
        (
            "other-ics/iec61850/iti_mms-initiateDownloadSequence.pcap",
            Proto::Mms,
            ProgramDownload,
            "initiateDownloadSequence",
            16,
        ),
    ];
    let mut failures = Vec::new();
    for (file, proto, class, function, first) in cases {
        let obs = common::observe_one(&dir.join(file));
        match has(&obs, *proto, *class, function) {
            Some(packets) if *first == 0 || packets.first() == Some(first) => {}
            other => failures.push(format!(
                "{file}: {} {} {function}: {other:?}",
                proto.name(),
                class.name()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn plain_reads_are_not_risky_and_plant1_modbus_is_picked_up_mid_stream() {
    let Some(dir) = common::corpus() else { return };
    let obs = common::observe_one(&dir.join("modbus/iti_plant1_modbustcp.pcap"));
    let reads: u64 = obs
        .operations
        .iter()
        .filter(|o| o.proto == Proto::Modbus)
        .map(|o| o.packets.count)
        .sum();
    // Suricata's default (no mid-stream pick-up) sees 122 of the 8,111 transactions.
    assert!(reads > 7_000, "{reads} Modbus requests");
    assert!(
        obs.operations.iter().all(|o| !o.class.is_risky()),
        "{:?}",
        obs.operations
    );
}
