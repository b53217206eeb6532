#!/usr/bin/env python3
"""Writes the seed corpora of the `capture` and `net_decoders` fuzz targets from hand-made
packets (no captured traffic): python3 fuzz/seeds/net_seeds.py (from the repository root)."""
import os
import struct


def dnp3_crc(data):
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA6BC if crc & 1 else crc >> 1
    return (~crc) & 0xFFFF


def dnp3(func, dir_master=True):
    user = bytes([0xC0, 0xC1, func]) + b"\x0c\x01\x17\x01\x00\x41\x01\xe8\x03\x00\x00"
    hdr = bytes([0x05, 0x64, 5 + len(user), 0xC4 if dir_master else 0x44, 1, 0, 2, 0])
    out = hdr + struct.pack("<H", dnp3_crc(hdr))
    for i in range(0, len(user), 16):
        blk = user[i:i + 16]
        out += blk + struct.pack("<H", dnp3_crc(blk))
    return out


def tpkt(user):
    cotp = b"\x02\xf0\x80" + user
    return struct.pack(">BBH", 3, 0, 4 + len(cotp)) + cotp


PAYLOADS = {
    # (transport, server port): payload from the client
    "modbus-read": ("tcp", 502, bytes.fromhex("000100000006010300000010")),
    "modbus-write": ("tcp", 502, bytes.fromhex("0002000000060106000a00ff")),
    "modbus-umas-stop": ("tcp", 502, bytes.fromhex("00030000000401" "5a0041")),
    "modbus-devid": ("tcp", 502, bytes.fromhex("000400000005012b0e0100")),
    "s7-stop": ("tcp", 102, tpkt(bytes.fromhex("32010000010000100000" "29000000000009505f50524f4752414d"))),
    "s7-setclock": ("tcp", 102, tpkt(bytes.fromhex("320700000200000800000001120411470200") + b"\xff\x09\x00\x0a\x00\x19\x12\x11\x15\x10\x00\x00\x00\x00")),
    "s7plus": ("tcp", 102, tpkt(bytes.fromhex("7201001431000004f200000001000000000000000000000000007200000000"))),
    "mms-stop": ("tcp", 102, tpkt(bytes.fromhex("a00b020101a9060a04707267")) ),
    "dnp3-cold-restart": ("tcp", 20000, dnp3(0x0D)),
    "dnp3-operate-udp": ("udp", 20000, dnp3(0x05)),
    "enip-list-identity": ("udp", 44818, bytes.fromhex("630000000000000000000000000000000000000000000000")),
    "enip-cip-stop": ("tcp", 44818, bytes.fromhex("6f001a00010203040000000000000000000000000000000000000000000002000000000000b2000a00070220" "8e2401")),
    "iec104-command": ("tcp", 2404, bytes.fromhex("680e00000000" "2d01060001000a000001")),
    "opcua-hello": ("tcp", 4840, b"HELF" + struct.pack("<I", 32 + 20) + struct.pack("<IIIII", 0, 65536, 65536, 0, 0) + struct.pack("<i", 20) + b"opc.tcp://plc:4840/x"),
    "mqtt-connect": ("tcp", 1883, bytes.fromhex("101000044d5154540402003c0004") + b"abcd"),
    "bacnet-whois": ("udp", 47808, bytes.fromhex("810b000c0120ffff00ff1008")),
    "bacnet-write": ("udp", 47808, bytes.fromhex("810a00110100040501" "0f0c0080000119553e91003f")),
    "hart-ip": ("tcp", 5094, bytes.fromhex("0100030001000011" "82a6060c21ba2a0000")),
    "fins-stop": ("udp", 9600, bytes.fromhex("800002000100000a0000" "0402ffff")),
    "ads-write-control": ("tcp", 48898, bytes.fromhex("0000260000000a0b0c0d0101" "5303" "0102030401015380" "0500" "0400" "06000000" "00000000" "01000000" "0600" "0000") ),
    "fox-hello": ("tcp", 1911, b"fox a 1 -1 fox hello\n{\nhostName=s:station\napp.name=s:Workbench\n};;\n"),
    "slmp-read": ("tcp", 5007, bytes.fromhex("500000ffff03000c00" "1000" "01040000000000a80a00")),
    "c37-cmd": ("tcp", 4712, bytes.fromhex("aa4100120001000000000000" "00000002" "0000")),
    "ssh-banner": ("tcp", 80, b"SSH-2.0-OpenSSH_9.2\r\n"),
    "http-get": ("tcp", 8080, b"get /index.html http/1.1\r\nHost: hmi\r\nUser-Agent: x\r\n\r\n"),
    "tls-hello": ("tcp", 443, bytes.fromhex("16030100" "3a" "010000360303") + b"\x00" * 32 + bytes.fromhex("000002002f0100000b0000000900070000046869737400")),
    "telnet": ("tcp", 23, bytes.fromhex("fffd18fffd20fffd23fffd27")),
    "ftp-user": ("tcp", 21, b"USER anonymous\r\n"),
    "tftp-wrq": ("udp", 69, b"\x00\x02fw.bin\x00octet\x00"),
    "dns-response": ("udp", 53, bytes.fromhex("12348180000100010000000003706c6303636f6d0000010001c00c000100010000003c00040a000001")),
    "snmp-set": ("udp", 161, bytes.fromhex("302602010104067075626c6963a3190201010201000201003010300e06082b060102010105000400")),
}

L2 = {
    "dcp-set-ip": (0x8892, bytes.fromhex("fefd04000000000100000012" "0102000e0001c0a80006ffffff00c0a80001")),
    "goose": (0x88B8, bytes.fromhex("000100200000000061168004676f6362810203e88204646174618304676f6964")),
    "lldp": (0x88CC, bytes.fromhex("020704001b1b010203040703706f7274060200780a03706c630000")),
    "arp": (0x0806, bytes.fromhex("0001080006040001001b1b010203c0a80005000000000000c0a80001")),
}


def ip_packet(src, dst, proto, l4):
    hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0, bytes(src), bytes(dst))
    return hdr + l4


def tcp(sport, dport, seq, flags, payload):
    return struct.pack(">HHIIBBHHH", sport, dport, seq, 0, 0x50, flags, 65535, 0, 0) + payload


def udp(sport, dport, payload):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


def eth(et, payload, src=b"\x00\x1b\x1b\x01\x02\x03", dst=b"\x00\x00\xbc\x3e\xeb\xe4"):
    return dst + src + struct.pack(">H", et) + payload


def pcap(frames, linktype=1):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1_700_000_000 + i, i * 1000, len(f), len(f)) + f
    return out


def main():
    root = os.path.join(os.path.dirname(__file__), "..", "corpus")
    cap = os.path.join(root, "capture")
    dec = os.path.join(root, "net_decoders")
    os.makedirs(cap, exist_ok=True)
    os.makedirs(dec, exist_ok=True)
    c, s = [10, 0, 0, 5], [10, 0, 1, 20]
    for i, (name, (tr, port, payload)) in enumerate(sorted(PAYLOADS.items())):
        if tr == "tcp":
            frames = [
                eth(0x0800, ip_packet(c, s, 6, tcp(40000, port, 1000, 0x02, b""))),
                eth(0x0800, ip_packet(s, c, 6, tcp(port, 40000, 5000, 0x12, b""))),
                eth(0x0800, ip_packet(c, s, 6, tcp(40000, port, 1001, 0x18, payload))),
            ]
        else:
            frames = [eth(0x0800, ip_packet(c, s, 17, udp(40000, port, payload)))]
        with open(os.path.join(cap, name + ".pcap"), "wb") as f:
            f.write(pcap(frames))
        with open(os.path.join(dec, name), "wb") as f:
            f.write(bytes([i]) + payload)
    for name, (et, payload) in sorted(L2.items()):
        with open(os.path.join(cap, name + ".pcap"), "wb") as f:
            f.write(pcap([eth(et, payload)]))
    # Other link types and damaged files.
    raw = ip_packet(c, s, 17, udp(40000, 47808, PAYLOADS["bacnet-whois"][2]))
    with open(os.path.join(cap, "raw-ip.pcap"), "wb") as f:
        f.write(pcap([raw], 101))
    sll2 = struct.pack(">HHIHBB8s", 0x0800, 0, 1, 1, 0, 6, b"\x00\x1b\x1b\x01\x02\x03\x00\x00") + raw
    with open(os.path.join(cap, "sll2.pcap"), "wb") as f:
        f.write(pcap([sll2], 276))
    vlan = b"\x00\x00\xbc\x3e\xeb\xe4\x00\x1b\x1b\x01\x02\x03\x88\xa8\x00\x0a\x81\x00\x00\x14\x08\x00" + raw
    with open(os.path.join(cap, "qinq.pcap"), "wb") as f:
        f.write(pcap([vlan]))
    whole = pcap([eth(0x0800, raw)] * 3)
    with open(os.path.join(cap, "truncated.pcap"), "wb") as f:
        f.write(whole[: len(whole) - 7])
    with open(os.path.join(cap, "absurd-length.pcap"), "wb") as f:
        f.write(whole[:24] + struct.pack("<IIII", 0, 0, 0x7FFFFFFF, 0x7FFFFFFF))
    shb = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
    idb = struct.pack("<IIHHI", 1, 20, 1, 0, 0) + struct.pack("<I", 20)
    frame = eth(0x0800, raw)
    epb_body = struct.pack("<IIIII", 0, 0, 1000, len(frame), len(frame)) + frame + b"\x00" * ((4 - len(frame) % 4) % 4)
    epb = struct.pack("<II", 6, 12 + len(epb_body)) + epb_body + struct.pack("<I", 12 + len(epb_body))
    with open(os.path.join(cap, "pcapng.pcapng"), "wb") as f:
        f.write(shb + idb + epb)
    with open(os.path.join(cap, "pcapng-huge-block.pcapng"), "wb") as f:
        f.write(shb + struct.pack("<II", 6, 0x7FFFFFF0))


if __name__ == "__main__":
    main()
