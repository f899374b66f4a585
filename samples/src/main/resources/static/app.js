// Live order books and trades from the hub, through one EventSource. Plain JavaScript, no build step.
(function () {
  'use strict';

  var INSTRUMENTS = ['FUTURE', 'ETF'];
  var LEVELS = 5;
  var MAX_TRADES = 16;
  var total = 0;        // every message the stream delivered
  var lastTotal = 0;
  var tradeCount = 0;   // trade rows added
  var tradeMessages = 0; // messages rendered as trades
  var other = 0;        // messages neither a book nor trades (anyone may publish under market.**)

  function $(selector, root) {
    return (root || document).querySelector(selector);
  }

  function price(cents) {
    return (cents / 100).toFixed(2);
  }

  function isLevels(value) {
    return Array.isArray(value) && value.every(function (l) {
      return l && typeof l.price === 'number' && typeof l.volume === 'number';
    });
  }

  function cell(text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function volumeCell(volume, max, side) {
    var td = cell(volume, 'vol ' + side);
    var share = max > 0 ? Math.round(100 * volume / max) : 0;
    td.style.setProperty('--share', share + '%');
    return td;
  }

  function levelRow(level, side, max) {
    var tr = document.createElement('tr');
    tr.className = side;
    tr.appendChild(side === 'bid' ? volumeCell(level.volume, max, side) : cell('', 'vol'));
    tr.appendChild(cell(price(level.price), 'price'));
    tr.appendChild(side === 'ask' ? volumeCell(level.volume, max, side) : cell('', 'vol'));
    return tr;
  }

  function renderBook(instrument, book) {
    var section = document.getElementById('book-' + instrument);
    if (!section || !isLevels(book.asks) || !isLevels(book.bids)) {
      return false; // not an order book (anyone may publish to these keys)
    }
    var max = 0;
    book.asks.concat(book.bids).forEach(function (l) { max = Math.max(max, l.volume); });
    var asks = $('.asks', section);
    var bids = $('.bids', section);
    asks.replaceChildren.apply(asks, book.asks.slice(0, LEVELS).reverse().map(function (l) {
      return levelRow(l, 'ask', max);
    }));
    bids.replaceChildren.apply(bids, book.bids.slice(0, LEVELS).map(function (l) {
      return levelRow(l, 'bid', max);
    }));
    var mid = $('.mid', section);
    if (book.asks.length && book.bids.length) {
      var spread = book.asks[0].price - book.bids[0].price;
      mid.textContent = 'mid ' + price((book.asks[0].price + book.bids[0].price) / 2) + ' · spread ' + price(spread);
    }
    section.dataset.sequence = book.sequence;
    section.dataset.updates = Number(section.dataset.updates) + 1;
    $('.seq', section).textContent = '#' + book.sequence;
    return true;
  }

  function addTrades(instrument, ticks) {
    if (!isLevels(ticks.asks) || !isLevels(ticks.bids)) {
      return false;
    }
    var rows = document.getElementById('trade-rows');
    var time = new Date().toLocaleTimeString();
    function add(level, side) {
      var tr = document.createElement('tr');
      tr.className = side;
      [time, instrument, side === 'buy' ? 'BUY' : 'SELL', price(level.price), level.volume].forEach(function (v, i) {
        tr.appendChild(cell(v, i === 2 ? 'side' : ''));
      });
      rows.insertBefore(tr, rows.firstChild);
      tradeCount++;
    }
    ticks.asks.forEach(function (l) { add(l, 'buy'); });
    ticks.bids.forEach(function (l) { add(l, 'sell'); });
    while (rows.children.length > MAX_TRADES) {
      rows.removeChild(rows.lastChild);
    }
    var panel = document.getElementById('trades');
    panel.dataset.count = tradeCount;
    panel.dataset.messages = ++tradeMessages;
    return true;
  }

  function setStatus(text, state) {
    var status = document.getElementById('status');
    status.textContent = text;
    status.className = 'status ' + state;
  }

  var template = document.getElementById('book-template');
  var tradesPanel = document.getElementById('trades');
  INSTRUMENTS.forEach(function (instrument) {
    var section = template.content.firstElementChild.cloneNode(true);
    section.id = 'book-' + instrument;
    section.dataset.instrument = instrument;
    $('.name', section).textContent = instrument;
    tradesPanel.parentNode.insertBefore(section, tradesPanel);
  });

  fetch('/api/feed').then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (feed) {
    if (feed) {
      document.getElementById('transport').textContent = feed.transport;
    }
  }).catch(function () { /* the label is informative only */ });

  var source = new EventSource('/api/stream?pattern=' + encodeURIComponent('market.**'));
  source.onopen = function () {
    setStatus('live', 'live');
  };
  source.onerror = function () {
    setStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting', 'down');
  };
  // Every message is counted once, as a book update, a trades message or other, and the counter is shown as it
  // changes: total = updates of every book + trades messages + other, at any moment.
  source.onmessage = function (event) {
    var message = JSON.parse(event.data);
    total++;
    document.getElementById('total').textContent = total;
    document.getElementById('dropped').textContent = message.dropped;
    var parts = String(message.key).split('.');
    var rendered = false;
    if (parts.length === 3 && message.payload !== null && typeof message.payload === 'object') {
      if (parts[1] === 'book') {
        rendered = renderBook(parts[2], message.payload);
      } else if (parts[1] === 'trades') {
        rendered = addTrades(parts[2], message.payload);
      }
    }
    if (!rendered) {
      document.getElementById('total').dataset.other = ++other;
    }
  };

  setInterval(function () {
    document.getElementById('rate').textContent = total - lastTotal; // messages in the last second
    lastTotal = total;
  }, 1000);

  // The hub's meters from Spring Boot Actuator: counters become rates between two readings.
  function meter(name) {
    return fetch('/actuator/metrics/' + name).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      return body && body.measurements && body.measurements.length ? body.measurements[0].value : null;
    });
  }

  var lastMeters = null;
  function showMeters() {
    Promise.all([meter('reactive.pubsub.hub.published'), meter('reactive.pubsub.hub.delivered'),
      meter('reactive.pubsub.hub.dropped'), meter('reactive.pubsub.hub.subscribers')]).then(function (v) {
      var now = Date.now();
      if (lastMeters && v[0] !== null && v[1] !== null) {
        var seconds = (now - lastMeters.at) / 1000;
        document.getElementById('hub-published-rate').textContent = Math.round((v[0] - lastMeters.published) / seconds);
        document.getElementById('hub-delivered-rate').textContent = Math.round((v[1] - lastMeters.delivered) / seconds);
      }
      if (v[2] !== null) {
        document.getElementById('hub-dropped').textContent = v[2];
      }
      if (v[3] !== null) {
        document.getElementById('hub-subscribers').textContent = v[3];
      }
      lastMeters = {at: now, published: v[0], delivered: v[1]};
    }).catch(function () { /* the panel is informative only */ });
  }
  showMeters();
  setInterval(showMeters, 2000);
}());
