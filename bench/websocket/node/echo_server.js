// The benchmark's Node echo server (ws): every text message goes back to its sender, as echo_server.osp
// does. Listens on 127.0.0.1, a free port (port 0) like PlainServer and the Osprey servers, path /echo;
// prints "PORT n" once listening; runs until killed. server.js holds what the two Node servers share.
'use strict';

const { serve } = require('./server');

serve((ws, text) => ws.send(text));
