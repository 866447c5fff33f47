package io.github.etcdgrpclb.etcd;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

/** Classifies the errors jetcd reports, which arrive wrapped in completion exceptions. */
public final class EtcdErrors {

	private EtcdErrors() {
	}

	/** @return whether etcd said the lease does not exist (revoked, or expired) */
	public static boolean isLeaseNotFound(Throwable error) {
		return anyCause(error, (cause) -> String.valueOf(cause.getMessage()).contains("requested lease not found")
				|| cause instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.NOT_FOUND);
	}

	/** @return whether etcd refused the call's auth token (expired): the client must authenticate again */
	public static boolean isInvalidAuthToken(Throwable error) {
		return anyCause(error, (cause) -> String.valueOf(cause.getMessage()).contains("invalid auth token"));
	}

	/** @return whether etcd's auth refused the call: the user's role does not cover the key */
	public static boolean isPermissionDenied(Throwable error) {
		return anyCause(error, (cause) -> String.valueOf(cause.getMessage()).contains("permission denied"));
	}

	/** @return whether {@code type} is in the cause chain of {@code error} */
	public static boolean isCause(Throwable error, Class<? extends Throwable> type) {
		return anyCause(error, type::isInstance);
	}

	private static boolean anyCause(Throwable error, Predicate<Throwable> test) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (test.test(cause)) {
				return true;
			}
		}
		return false;
	}

	/** @return a one-line description of the innermost meaningful cause */
	public static String describe(Throwable error) {
		Throwable cause = error;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof TimeoutException) {
			return "no answer from etcd in time";
		}
		Status status = Status.fromThrowable(cause);
		return (status.getCode() != Status.Code.UNKNOWN) ? status.getCode() + ": " + status.getDescription()
				: cause.toString();
	}

}
