# Answers ICMP echo requests on loopback in place of the kernel (run it in a private network
# namespace with net.ipv4.icmp_echo_ignore_all=1 and net.ipv6.icmp.echo_ignore_all=1):
#   127.0.0.1 and ::1  -> every request answered twice (one duplicate per probe)
#   127.0.0.9          -> ICMP Host Unreachable "from 127.0.0.254", no echo reply
# Prints "ready" once both sockets are open.
import select, socket, struct

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff

def with_csum(body):
    return body[:2] + struct.pack('!H', csum(body[:2] + b'\0\0' + body[4:])) + body[4:]

v4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
v4.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
v6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)  # the kernel fills the ICMPv6 checksum
print('ready', flush=True)

def answer_v4(pkt):
    ihl = (pkt[0] & 15) * 4
    icmp = pkt[ihl:]
    if icmp[0] != 8: return
    src, dst = pkt[12:16], pkt[16:20]
    if dst == socket.inet_aton('127.0.0.9'):
        body, frm, copies = with_csum(b'\x03\x01\0\0\0\0\0\0' + pkt[:ihl + 8]), socket.inet_aton('127.0.0.254'), 1
    else:
        body, frm, copies = with_csum(b'\0\0\0\0' + icmp[4:]), dst, 2
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(body), 0, 0, 64, 1, 0, frm, src)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    for _ in range(copies): v4.sendto(ip + body, (socket.inet_ntoa(src), 0))

def answer_v6(icmp, addr):
    if icmp[0] != 128: return
    for _ in range(2): v6.sendto(bytes([129, 0, 0, 0]) + icmp[4:], addr)

while True:
    for s in select.select([v4, v6], [], [])[0]:
        pkt, addr = s.recvfrom(65535)
        if s is v4: answer_v4(pkt)
        else: answer_v6(pkt, addr)
