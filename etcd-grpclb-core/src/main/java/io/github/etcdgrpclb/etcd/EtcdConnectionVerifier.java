package io.github.etcdgrpclb.etcd;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks once, at startup, that etcd accepts the client's credentials and TLS setup. jetcd connects
 * lazily and, waiting for a ready connection, reports a rejected certificate as a mere timeout much
 * later; this check uses a short-lived copy of the client that fails fast, so that configuration
 * mistakes stop the application while an etcd that is only down does not.
 */
public final class EtcdConnectionVerifier {

	private static final Logger logger = LoggerFactory.getLogger(EtcdConnectionVerifier.class);

	private EtcdConnectionVerifier() {
	}

	/**
	 * Makes one request with a copy of the given builder.
	 * @param builder the configured builder (not modified)
	 * @param endpoints the endpoints, for messages
	 * @param timeout how long to wait for etcd
	 * @return whether etcd answered
	 * @throws EtcdConnectionException when etcd rejects the credentials or the TLS handshake fails
	 */
	public static boolean verify(ClientBuilder builder, String endpoints, Duration timeout) {
		try (Client probe = builder.copy().waitForReady(false).build()) {
			probe.getClusterClient().listMember().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			throwIfRejected(ex.getCause(), endpoints);
			logger.warn("etcd at {} is not reachable at startup ({}); the client keeps trying to connect",
					endpoints, ex.getCause().toString());
			return false;
		}
		catch (TimeoutException ex) {
			logger.warn("etcd at {} did not answer within {} at startup; the client keeps trying to connect",
					endpoints, timeout);
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Turns a failed request into an {@link EtcdConnectionException} when etcd rejected the client's
	 * configuration; returns normally when etcd was merely unreachable.
	 * @param failure what the request failed with
	 * @param endpoints the endpoints, for messages
	 */
	public static void throwIfRejected(Throwable failure, String endpoints) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SSLException) {
				throw new EtcdConnectionException(EtcdConnectionException.Problem.TLS, endpoints,
						"TLS handshake with etcd at " + endpoints + " failed: " + cause.getMessage(), failure);
			}
			if (isAuthenticationFailure(cause)) {
				throw new EtcdConnectionException(EtcdConnectionException.Problem.AUTHENTICATION, endpoints,
						"etcd at " + endpoints + " refused the credentials: " + cause.getMessage(), failure);
			}
		}
	}

	private static boolean isAuthenticationFailure(Throwable cause) {
		String message = String.valueOf(cause.getMessage());
		if (cause instanceof EtcdException || cause instanceof StatusRuntimeException) {
			Status.Code code = Status.fromThrowable(cause).getCode();
			return code == Status.Code.UNAUTHENTICATED || message.contains("authentication failed")
					|| message.contains("invalid auth token") || message.contains("user name is empty");
		}
		return false;
	}

}
