package dev.netpoll.websocket;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Run in a child JVM (the descriptor limit is per process): opens {@code count} WebSocket
 * sessions to {@code port}{@code path} and keeps them idle. Commands on standard input:
 * {@code echo} sends one text frame on every session and reads every echo; {@code close} closes
 * them all. Prints {@code OPEN}, {@code ECHOED}, {@code CLOSED} when done.
 */
public final class IdleSessionClients {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        String path = args[2];
        List<Socket> sockets = new ArrayList<>(count);
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            var socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(request);
            String head = readHead(socket);
            if (!head.startsWith("HTTP/1.1 101")) {
                System.out.println("FAILED session " + i + ": " + head.lines().findFirst().orElse(""));
                return;
            }
            sockets.add(socket);
        }
        System.out.println("OPEN " + sockets.size());
        var commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String command; (command = commands.readLine()) != null; ) {
            if (command.equals("echo")) {
                byte[] frame = RawClient.text("x");
                for (Socket socket : sockets) {
                    socket.getOutputStream().write(frame);
                }
                for (Socket socket : sockets) {
                    byte[] echo = socket.getInputStream().readNBytes(3); // 0x81, length 1, 'x'
                    if (echo.length != 3 || echo[2] != 'x') {
                        System.out.println("FAILED echo");
                        return;
                    }
                }
                System.out.println("ECHOED");
            } else if (command.equals("close")) {
                break;
            }
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        System.out.println("CLOSED");
    }

    private static String readHead(Socket socket) throws Exception {
        var head = new StringBuilder();
        var in = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
