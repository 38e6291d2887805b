"""Database models of the CoNekT demo app.

A species has sequences (transcripts / proteins), grouped into genes and
into gene families; sequences carry GO annotations and expression profiles.
"""
from . import db


sequence_family = db.Table(
    'sequence_family',
    db.Column('sequence_id', db.Integer, db.ForeignKey('sequences.id'),
              primary_key=True),
    db.Column('gene_family_id', db.Integer, db.ForeignKey('gene_families.id'),
              primary_key=True),
)


class Species(db.Model):
    __tablename__ = 'species'

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(50), unique=True, nullable=False)
    name = db.Column(db.String(200))
    data_type = db.Column(db.Enum('genome', 'transcriptome', name='data_type'))
    color = db.Column(db.String(7), default='#C7C7C7')
    highlight = db.Column(db.String(7), default='#DEDEDE')
    sequence_count = db.Column(db.Integer)
    description = db.Column(db.Text)
    assembly_version = db.Column(db.String(50))
    annotation_source = db.Column(db.String(255))

    sequences = db.relationship('Sequence', backref='species', lazy='dynamic')

    def __repr__(self):
        return f'<Species {self.code}>'


class Gene(db.Model):
    __tablename__ = 'genes'

    id = db.Column(db.Integer, primary_key=True)
    species_id = db.Column(db.Integer, db.ForeignKey('species.id'),
                           nullable=False, index=True)
    name = db.Column(db.String(50), nullable=False, index=True)
    chromosome = db.Column(db.String(50))
    start = db.Column(db.Integer)
    end = db.Column(db.Integer)
    strand = db.Column(db.String(1))

    sequences = db.relationship('Sequence', backref='gene', lazy='dynamic')


class Sequence(db.Model):
    __tablename__ = 'sequences'

    id = db.Column(db.Integer, primary_key=True)
    species_id = db.Column(db.Integer, db.ForeignKey('species.id'), index=True)
    gene_id = db.Column(db.Integer, db.ForeignKey('genes.id'), index=True)
    name = db.Column(db.String(50), index=True)
    description = db.Column(db.Text)
    coding_sequence = db.Column(db.Text)
    cds_length = db.Column(db.Integer)
    type = db.Column(db.Enum('protein_coding', 'TE', 'RNA', name='sequence_type'),
                     default='protein_coding')
    is_chloroplast = db.Column(db.Boolean, default=False)

    families = db.relationship('GeneFamily', secondary=sequence_family,
                               backref=db.backref('sequences', lazy='dynamic'),
                               lazy='dynamic')

    def __repr__(self):
        return f'<Sequence {self.name}>'


class GeneFamily(db.Model):
    __tablename__ = 'gene_families'

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True, index=True)
    method = db.Column(db.String(100))
    original_name = db.Column(db.String(50))


class ExpressionProfile(db.Model):
    __tablename__ = 'expression_profiles'

    id = db.Column(db.Integer, primary_key=True)
    species_id = db.Column(db.Integer, db.ForeignKey('species.id'), index=True)
    sequence_id = db.Column(db.Integer, db.ForeignKey('sequences.id'),
                            index=True)
    probe = db.Column(db.String(50), index=True)
    profile = db.Column(db.Text)


class GO(db.Model):
    __tablename__ = 'go'

    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(50), unique=True, index=True)
    name = db.Column(db.Text)
    type = db.Column(db.Enum('biological_process', 'molecular_function',
                             'cellular_component', name='go_type'))
    description = db.Column(db.Text)


class SequenceGOAssociation(db.Model):
    __tablename__ = 'sequence_go'

    id = db.Column(db.Integer, primary_key=True)
    sequence_id = db.Column(db.Integer, db.ForeignKey('sequences.id'),
                            index=True)
    go_id = db.Column(db.Integer, db.ForeignKey('go.id'), index=True)
    evidence = db.Column(db.String(3))
    source = db.Column(db.Text)


class LegacySequence(db.Model):
    """Rows imported from the CoNekT v1 database, kept until the import is checked."""
    __tablename__ = 'legacy_sequence'

    id = db.Column(db.Integer, primary_key=True)
    species_code = db.Column(db.String(50), index=True)
    name = db.Column(db.String(50))
    sequence = db.Column(db.Text)
    imported_at = db.Column(db.DateTime)
