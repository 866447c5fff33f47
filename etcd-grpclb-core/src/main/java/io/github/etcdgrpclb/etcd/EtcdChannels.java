package io.github.etcdgrpclb.etcd;

import java.lang.reflect.Field;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches the gRPC channel inside a jetcd client to reset its reconnect backoff. After an etcd
 * outage, gRPC waits up to its backoff (1 s growing by 1.6x to 120 s) before it tries to connect
 * again, so a retry of ours could sit behind a channel that has not yet noticed etcd is back.
 * Resetting the backoff before a retry makes the retry connect at once. jetcd offers no hook for
 * this, so the channel is found by reflection; when jetcd's internals differ this does nothing
 * (recovery is then only slower).
 */
public final class EtcdChannels {

	private static final Logger logger = LoggerFactory.getLogger(EtcdChannels.class);

	private static volatile boolean unsupportedLogged;

	private EtcdChannels() {
	}

	/**
	 * Asks the client's channel to reconnect now rather than after its backoff.
	 * @param client a jetcd client
	 */
	public static void resetConnectBackoff(Client client) {
		try {
			Object manager = fieldOfType(client, "io.etcd.jetcd.impl.ClientConnectionManager");
			Object channel = (manager != null) ? fieldOfType(manager, ManagedChannel.class.getName()) : null;
			if (channel instanceof ManagedChannel managedChannel) {
				managedChannel.resetConnectBackoff();
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			if (!unsupportedLogged) {
				unsupportedLogged = true;
				logger.debug("Cannot reset the reconnect backoff of this jetcd version: {}", ex.toString());
			}
		}
	}

	private static Object fieldOfType(Object target, String typeName) throws ReflectiveOperationException {
		for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (field.getType().getName().equals(typeName)) {
					field.setAccessible(true);
					return field.get(target);
				}
			}
		}
		return null;
	}

}
