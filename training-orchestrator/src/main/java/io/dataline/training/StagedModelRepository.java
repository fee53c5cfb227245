package io.dataline.training;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class StagedModelRepository implements PanacheRepositoryBase<StagedModel, String> {
}
