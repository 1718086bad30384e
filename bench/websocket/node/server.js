// What the benchmark's two Node servers share: a ws server with the same settings as the Osprey plugin's
// servers and PlainServer, handing every text message to onText(ws, text, wss).
//
// - 127.0.0.1, port 0 (a free port), printed as "PORT n" once listening; path /echo (ws answers another
//   path with 400 and no upgrade; the Osprey plugin answers 404, PlainServer closes after the upgrade).
// - permessage-deflate off: ws's server default, written out here (a server with it on would accept a
//   client's offer; Load.java's JDK client offers no extension).
// - TCP_NODELAY: ws sets it on every connection itself (lib/websocket.js, setSocket).
// - Backlog 1024, as the Java servers' setMaxPendingConnections(1024) (node's default is 511).
// - Messages up to 1 MiB, the Osprey plugin's default limit (ws closes with 1009 past it, as the plugin does).
// - A binary message closes the connection with 1003, as the Osprey plugin and PlainServer do.
'use strict';

const { WebSocketServer } = require('ws');

function serve(onText) {
    const wss = new WebSocketServer({
        host: '127.0.0.1',
        port: 0,
        path: '/echo',
        backlog: 1024,
        perMessageDeflate: false,
        maxPayload: 1 << 20,
    });
    wss.on('connection', (ws) => {
        ws.on('message', (data, isBinary) => {
            if (isBinary) {
                ws.close(1003, 'binary messages are not supported');
            } else {
                onText(ws, data.toString(), wss);
            }
        });
        ws.on('error', () => {}); // a client that breaks the protocol is closed by ws; the server goes on
    });
    wss.on('listening', () => console.log(`PORT ${wss.address().port}`));
    wss.on('error', (e) => {
        console.error(`cannot listen: ${e.message}`);
        process.exit(1);
    });
}

module.exports = { serve };
