// The hub's pages work without script. This file only adds conveniences: solving the
// registration challenge (a proof of work) before the form is sent, when the page asks for one.
(function() {
'use strict';
var form = document.querySelector('form[data-challenge]');
if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
// Leading zero bits of a SHA-256 digest.
function zeroBits(buf) {
    var b = new Uint8Array(buf), n = 0;
    for (var i = 0; i < b.length; i++) {
        if (b[i] === 0) {
            n += 8;
            continue;
        }
        for (var m = 0x80; m && !(b[i] & m); m >>= 1)
            n++;
        break;
    }
    return n;
}
form.addEventListener('submit', function(ev) {
    var answer = form.querySelector('input[name=pow]');
    if (!answer || answer.value) return;
    ev.preventDefault();
    var seed = form.getAttribute('data-challenge');
    var bits = parseInt(form.getAttribute('data-bits'), 10) || 0;
    var status = document.getElementById('challenge-status');
    if (status) status.className = 'hint';
    // Each phone starts somewhere else: two people in the same minute must not find the same
        // answer (an answer works once).
        var enc = new TextEncoder(), nonce = Math.floor(Math.random() * 1e12);
    function step() {
        var tries = [];
        for (var k = 0; k < 64; k++)
            tries.push(nonce + k);
        Promise
            .all(tries.map(function(
                n) { return crypto.subtle.digest('SHA-256', enc.encode(seed + ':' + n)); }))
            .then(function(digests) {
                for (var k = 0; k < digests.length; k++) {
                    if (zeroBits(digests[k]) >= bits) {
                        answer.value = String(tries[k]);
                        // (a control named or with the id "submit" hides form.submit)
                        HTMLFormElement.prototype.submit.call(form);
                        return;
                    }
                }
                nonce += 64;
                step();
            });
    }
    step();
});
})();
