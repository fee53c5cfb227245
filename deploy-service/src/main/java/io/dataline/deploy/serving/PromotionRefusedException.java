package io.dataline.deploy.serving;

/** Deploying a version failed in a way that must refuse its promotion (checksum, unreadable artifact, smoke check, rollout). */
public class PromotionRefusedException extends Exception {

    public PromotionRefusedException(String reason) {
        super(reason);
    }

    public PromotionRefusedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
