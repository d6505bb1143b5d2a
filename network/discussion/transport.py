"""The consumer loop of the room sockets, cut to what a delivered frame costs."""

import asyncio
import functools
import logging

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

INTERRUPTED = "layer.interrupted"  # handled by ``layer_interrupted``
SEND_ATTEMPTS = 6  # about 4 s of retries: a Redis restart, not an outage


def backoff(attempt):
    """Seconds before retry number ``attempt`` (1, 2, ...): 0.1, 0.2, 0.4 ... capped at 2."""
    return min(2.0, 0.1 * 2 ** (attempt - 1))


class FanOutConsumer(AsyncJsonWebsocketConsumer):
    """``AsyncJsonWebsocketConsumer`` with a cheaper loop, same semantics.

    For every message, Channels' ``AsyncConsumer`` waits on the socket and the
    channel layer with ``asyncio.wait`` and a new task, then hops to the
    database thread to close stale connections before the handler: about a
    quarter of the CPU each frame delivered to each socket costs (measured
    with bench/discussion_latency.py: server CPU 68% -> 50% at 500 clients x
    10 messages/s). Here two long-lived tasks put what the socket and the
    layer deliver in one inbox, and the consumer handles it one message at a
    time, in arrival order, as Channels does. The pumps are only ever
    cancelled inside ``receive``, where the layer cleans up the channel.

    The channel layer losing Redis does not end the consumer (Channels would
    close the socket with 1011): a failing layer receive is retried with a
    backoff and the consumer is handed a ``layer.interrupted`` message (the
    socket may have missed group messages meanwhile), and ``group_send``
    retries a failed publish while the layer reconnects.

    Subclasses reach the database only through ``database_sync_to_async``,
    which closes stale connections itself.
    """

    async def __call__(self, scope, receive, send):
        self.scope, self.base_send = scope, send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        inbox = asyncio.Queue()

        async def pump(source):
            try:
                while True:
                    inbox.put_nowait(await source())
            except Exception as error:  # noqa: BLE001 - raised again by the consumer loop
                inbox.put_nowait(error)

        async def layer_pump():
            receive_layer = functools.partial(self.channel_layer.receive, self.channel_name)
            failures = 0
            while True:
                try:
                    message = await receive_layer()
                except Exception:  # Redis lost: wait for the layer to reconnect
                    if not failures:
                        logger.warning("discussion: channel layer receive failed, retrying", exc_info=True)
                        inbox.put_nowait({"type": INTERRUPTED})
                    failures += 1
                    await asyncio.sleep(backoff(failures))
                    continue
                failures = 0
                inbox.put_nowait(message)

        pumps = [asyncio.ensure_future(pump(receive)), asyncio.ensure_future(layer_pump())]
        try:
            while True:
                message = await inbox.get()
                if isinstance(message, Exception):
                    raise message
                await self.dispatch(message)
        except StopConsumer:
            pass
        finally:
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    async def group_send(self, group, message, attempts=SEND_ATTEMPTS):
        """``channel_layer.group_send``, retried while the layer reconnects to Redis.

        True once sent; False when every attempt failed (logged), which never
        closes the socket: what was stored reaches the clients from the database.
        """
        for attempt in range(attempts):
            try:
                await self.channel_layer.group_send(group, message)
            except Exception:  # redis-py's errors are not builtin ConnectionErrors
                if attempt + 1 == attempts:
                    logger.exception("discussion: group_send to %s failed %s times", group, attempts)
                    return False
                await asyncio.sleep(backoff(attempt + 1))
                continue
            if attempt:
                await self.layer_recovered(group)
            return True
        return False

    async def layer_recovered(self, group):
        """Called after a send that needed retries: subscribers may have missed messages."""

    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
