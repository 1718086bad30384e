// The benchmark's Node broadcast server (ws), as broadcast_server.osp: a message "go N" makes it broadcast
// "0" to "N-1", in order, to every client; any other message is echoed to its sender. Prints "PORT n" once
// listening.
'use strict';

const { serve } = require('./server');

serve((ws, text, wss) => {
    if (!text.startsWith('go ')) {
        ws.send(text);
        return;
    }
    const count = text.slice(3);
    if (!/^[+-]?[0-9]+$/.test(count)) {
        console.error(`error: message handler: "${count}" is not a whole number`); // Osprey's handler: an Error
        return;
    }
    const n = Number.parseInt(count, 10);
    for (let i = 0; i < n; i++) {
        // The text is encoded once and the same bytes framed for every client, as Osprey's
        // websocketServerBroadcast and Java-WebSocket's broadcast do (ws's own broadcast example sends the
        // string to each client, which encodes it again per client).
        const data = Buffer.from(String(i));
        for (const client of wss.clients) {
            if (client.readyState === client.OPEN) {
                client.send(data, { binary: false });
            }
        }
    }
});
