package io.github.etcdgrpclb.etcd;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

/** Classifies the errors jetcd reports, which arrive wrapped in completion exceptions. */
public final class EtcdErrors {

	private EtcdErrors() {
	}

	/** @return whether etcd said the lease does not exist (revoked, or expired) */
	public static boolean isLeaseNotFound(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (String.valueOf(cause.getMessage()).contains("requested lease not found")) {
				return true;
			}
			if (cause instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.NOT_FOUND) {
				return true;
			}
		}
		return false;
	}

	/** @return whether {@code type} is in the cause chain of {@code error} */
	public static boolean isCause(Throwable error, Class<? extends Throwable> type) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
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
